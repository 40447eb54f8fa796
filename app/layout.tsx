import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Tarmo', template: '%s · Tarmo' },
  description: 'Privacy-first customer journeys',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request's nonce (set by proxy.ts) renders every page per request, so Next.js can
  // put this response's nonce on its scripts; a prerendered page would be refused by the policy.
  (await headers()).get('x-nonce');
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
