import { unsubscribeGet, unsubscribePost } from '@/lib/privacy/customer-pages';
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

export async function GET(request: Request, { params }: Context) {
  return pageResponse(
    await unsubscribeGet((await params).token, acceptLanguage(request), gpcClient(request)),
  );
}

/** RFC 8058: body `List-Unsubscribe=One-Click`, no cookie, no CSRF token; the link's token is the credential. */
export async function POST(request: Request, { params }: Context) {
  const form = await readForm(request);
  if (!form) return tooLargeResponse();
  return pageResponse(
    await unsubscribePost(
      (await params).token,
      form,
      clientInfo(request),
      acceptLanguage(request),
      gpcClient(request),
    ),
  );
}
