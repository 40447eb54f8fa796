/**
 * Click tracking, off unless a purpose turns it on (and its notice says so): the links of a mail's
 * body are rewritten to `/c/<token>`, a redirect that records the click as an event with the
 * purpose and sends the person on to the address stored with the token (never to one taken from
 * the request, so it is no open redirect). Links to Tarmo itself (unsubscribe, preferences) and the
 * legal footer are never rewritten; no tracking pixel is ever added.
 */
export type LinkTracker = (url: string) => Promise<string>;

const ANCHOR_HREF = /(<a\b[^>]*?\shref=")(https?:\/\/[^"]+)(")/gi;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

const decode = (value: string) =>
  value.replace(/&(amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity);
const encode = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Rewrites the body's links (HTML anchors, and the same addresses in the text part) through
 * `track`, one tracked link per distinct address. `ownOrigin` links are left alone.
 */
export async function trackLinks(
  parts: { html: string; text: string },
  track: LinkTracker,
  ownOrigin: string,
): Promise<{ html: string; text: string }> {
  const urls = new Set<string>();
  for (const match of parts.html.matchAll(ANCHOR_HREF)) {
    const url = decode(match[2]!);
    if (!isOwn(url, ownOrigin)) urls.add(url);
  }
  if (urls.size === 0) return parts;
  const tracked = new Map<string, string>();
  for (const url of urls) tracked.set(url, await track(url));
  const html = parts.html.replace(ANCHOR_HREF, (all, start: string, href: string, end: string) => {
    const replacement = tracked.get(decode(href));
    return replacement ? `${start}${encode(replacement)}${end}` : all;
  });
  let text = parts.text;
  // Longest first, so an address that is a prefix of another cannot cut into it.
  for (const url of [...tracked.keys()].sort((a, b) => b.length - a.length))
    text = text.split(url).join(tracked.get(url)!);
  return { html, text };
}

function isOwn(url: string, ownOrigin: string): boolean {
  try {
    return new URL(url).origin === new URL(ownOrigin).origin;
  } catch {
    return true;
  }
}
