import { verifyGet, verifyPost } from '@/lib/privacy/customer-pages';
import { acceptLanguage, gpcClient, pageResponse, readForm, tooLargeResponse } from '@/lib/privacy/http';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ token: string }> };

export async function GET(request: Request, { params }: Context) {
  return pageResponse(await verifyGet((await params).token, acceptLanguage(request), gpcClient(request)));
}

export async function POST(request: Request, { params }: Context) {
  if (!(await readForm(request))) return tooLargeResponse();
  return pageResponse(await verifyPost((await params).token, acceptLanguage(request), gpcClient(request)));
}
