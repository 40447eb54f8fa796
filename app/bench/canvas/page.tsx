import type { Metadata } from 'next';
import { BareCanvas } from '@/components/bench/BareCanvas';

export const metadata: Metadata = {
  title: 'Canvas benchmark: bare React Flow',
  robots: { index: false, follow: false },
};

const size = (value: string | undefined, fallback: number, max: number) =>
  Math.min(max, Math.max(1, Math.round(Number(value)) || fallback));

/**
 * Used only by `npm run bench:canvas` (scripts/bench-canvas.ts) as the ceiling: a bare React
 * Flow page with the benchmark's synthetic graph. Linked from nowhere; it reads no data and
 * needs no session, so opening it shows a synthetic graph and nothing else.
 */
export default async function BareCanvasPage({
  searchParams,
}: {
  searchParams: Promise<{ steps?: string; width?: string; height?: string }>;
}) {
  const query = await searchParams;
  return (
    <main>
      <h1 className="visually-hidden">Canvas benchmark: bare React Flow</h1>
      <BareCanvas
        steps={size(query.steps, 1000, 10_000)}
        width={size(query.width, 1200, 4000)}
        height={size(query.height, 800, 4000)}
      />
    </main>
  );
}
