import { pageResponse, acceptLanguage } from '@/lib/privacy/http';
import { receiptAnswer, receiptFormat } from '@/lib/privacy/receipt-http';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ id: string }> };

const HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'x-content-type-options': 'nosniff',
  vary: 'Accept, Accept-Language',
};

/** A consent receipt: HTML in the person's language, JSON (`Accept: application/json`) or the signed token (`Accept: application/jose`). */
export async function GET(request: Request, { params }: Context) {
  const url = new URL(request.url);
  const format = receiptFormat(request.headers.get('accept'), url.searchParams.get('format'));
  const answer = await receiptAnswer((await params).id, format, acceptLanguage(request));
  if (!answer)
    return Response.json(
      { error: { code: 'not_found', message: 'No such receipt' } },
      { status: 404, headers: HEADERS },
    );
  if (answer.kind === 'page') {
    const response = pageResponse(answer.page);
    response.headers.set('vary', HEADERS.vary);
    return response;
  }
  if (answer.kind === 'jose')
    return new Response(answer.token, {
      headers: { ...HEADERS, 'content-type': 'application/jose' },
    });
  return Response.json(answer.body, { headers: HEADERS });
}
