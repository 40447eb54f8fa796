/** Runs once when a Next.js server starts (https://nextjs.org/docs/app/guides/instrumentation). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { stampPeerAddresses } = await import('./lib/net/peer-address-stamp');
    stampPeerAddresses();
    const { setProcessRole } = await import('./lib/config/log');
    setProcessRole('web');
    const { observeHttpRequests } = await import('./lib/operations/http-observer');
    observeHttpRequests();
    const { startMetricsServerFromEnv } = await import('./lib/operations/metrics-server');
    await startMetricsServerFromEnv('TARMO_METRICS_PORT');
  }
}
