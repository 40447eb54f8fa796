/** Runs once when a Next.js server starts (https://nextjs.org/docs/app/guides/instrumentation). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { stampPeerAddresses } = await import('./lib/net/peer-address-stamp');
    stampPeerAddresses();
  }
}
