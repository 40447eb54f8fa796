/**
 * Where to send someone after signing in or out, given a target taken from the request
 * (`callbackUrl`, `next=`): only a place on this app's own origin, as a path, otherwise the
 * default page. Resolving against the origin with the WHATWG URL parser, the way a browser does,
 * catches the spellings a prefix check misses (`//evil.example`, `/\evil.example`,
 * `https:evil.example`, tabs and newlines inside the scheme). Pure, so the login page's server
 * rendering, the sign-in form and next-auth's redirect callback all share it.
 */
export const DEFAULT_SIGNED_IN_PAGE = '/journeys';

export function sameOriginTarget(
  raw: string | null | undefined,
  appOrigin: string,
  fallback: string = DEFAULT_SIGNED_IN_PAGE,
): string {
  if (!raw) return fallback;
  let origin: string;
  let target: URL;
  try {
    origin = new URL(appOrigin).origin;
    target = new URL(raw, `${origin}/`);
  } catch {
    return fallback;
  }
  if (target.origin !== origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A path that starts with two slashes (e.g. from "/.//evil.example") would leave the origin
  // again when used as a relative URL.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
