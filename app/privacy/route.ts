import { privacyNoticeGet } from '@/lib/privacy/customer-pages';
import { acceptLanguage, pageResponse } from '@/lib/privacy/http';

export const dynamic = 'force-dynamic';

/** The full privacy notice (GDPR Art. 13): public, no JavaScript, in the browser's language. */
export async function GET(request: Request) {
  return pageResponse(await privacyNoticeGet(acceptLanguage(request)));
}
