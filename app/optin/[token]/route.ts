import { optInGet, optInPost } from '@/lib/privacy/customer-pages';
import {
  acceptLanguage,
  clientInfo,
  gpcClient,
  pageResponse,
  readForm,
  tooLargeResponse,
} from '@/lib/privacy/http';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ token: string }> };

/** Shows what the person is confirming; changes nothing (link scanners only GET) but a GPC signal's objection. */
export async function GET(request: Request, { params }: Context) {
  return pageResponse(await optInGet((await params).token, acceptLanguage(request), gpcClient(request)));
}

export async function POST(request: Request, { params }: Context) {
  if (!(await readForm(request))) return tooLargeResponse();
  return pageResponse(
    await optInPost((await params).token, clientInfo(request), acceptLanguage(request), gpcClient(request)),
  );
}
