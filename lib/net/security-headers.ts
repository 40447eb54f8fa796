/**
 * The headers every staff page carries. Scripts run only with this response's nonce (Next.js puts
 * it on its own scripts when the request carries the policy, see proxy.ts), and 'strict-dynamic'
 * lets those load the app's chunks; no 'unsafe-inline' scripts, so injected markup cannot run.
 * Styles allow inline style attributes (the canvas positions nodes with them); a style cannot
 * run code. No framing (clickjacking), no MIME sniffing, the referrer only to this origin.
 */
export function staffPageCsp(
  nonce: string,
  options: {
    development?: boolean;
    /** Where the sign-in form may send the browser on: the single sign-on provider's origin. */
    formActionOrigin?: string | null;
  } = {},
): string {
  return [
    "default-src 'self'",
    // React needs eval only in development, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // A message preview shows the mail's own (remote) images; an image cannot run code.
    "img-src 'self' blob: data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // A form's redirects count too: "Continue with …" goes on to the identity provider.
    `form-action 'self'${options.formActionOrigin ? ` ${options.formActionOrigin}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

export const STAFF_PAGE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;

/** A fresh, unguessable nonce per response (128 bits). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
