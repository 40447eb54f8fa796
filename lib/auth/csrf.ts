/**
 * Staff state changes must come from our own pages: the browser always sends Origin on
 * cross-site POSTs, so a mismatch (or a missing Origin with a form content type) is refused.
 */
export function isSameOriginRequest(headers: Headers, expectedHost?: string): boolean {
  const origin = headers.get('origin');
  const host = expectedHost ?? headers.get('x-forwarded-host') ?? headers.get('host');
  if (!origin) {
    // Non-browser clients send no Origin; only JSON bodies (which need a CORS preflight cross-site) pass.
    return (
      (headers.get('content-type') ?? '').startsWith('application/json') &&
      headers.get('sec-fetch-site') !== 'cross-site'
    );
  }
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
