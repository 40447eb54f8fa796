import { NextResponse } from 'next/server';
import { readiness } from '@/lib/operations/readiness';

export const dynamic = 'force-dynamic';

/** Readiness (README, Operations): 200 when ready, 503 with the failing checks otherwise. */
export async function GET() {
  const report = await readiness();
  return NextResponse.json(report, {
    status: report.ready ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
