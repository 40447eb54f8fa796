import { acceptLanguage, pageResponse } from '@/lib/privacy/http';
import { noticeVersionPage } from '@/lib/privacy/receipt-http';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ purpose: string; version: string }> };

/** One published notice version of a purpose: the exact text a consent (and its receipt) names. */
export async function GET(request: Request, { params }: Context) {
  const { purpose, version } = await params;
  const lang = new URL(request.url).searchParams.get('lang');
  return pageResponse(await noticeVersionPage(purpose, Number(version), lang, acceptLanguage(request)));
}
