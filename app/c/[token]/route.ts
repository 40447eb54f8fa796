import { recordClick } from '@/lib/customers/clicks';
import { invalidLinkPage } from '@/lib/privacy/pages';
import { localeFromAcceptLanguage } from '@/lib/mail/i18n';
import { acceptLanguage, pageResponse } from '@/lib/privacy/http';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ token: string }> };

/**
 * A tracked link in a mail (click tracking is on for its purpose): records the click as an event
 * and redirects to the address stored with the token, never to one from the request (no open
 * redirect). The GET changes no consent; it only records the click.
 */
export async function GET(request: Request, { params }: Context) {
  const result = await recordClick((await params).token);
  if (!result.ok)
    return pageResponse(invalidLinkPage(result.error, localeFromAcceptLanguage(acceptLanguage(request))));
  return new Response(null, {
    status: 302,
    headers: { Location: result.value.url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  });
}
