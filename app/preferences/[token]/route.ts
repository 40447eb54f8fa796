import { preferencesGet, preferencesPost } from '@/lib/privacy/customer-pages';
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
    await preferencesGet((await params).token, acceptLanguage(request), gpcClient(request)),
  );
}

export async function POST(request: Request, { params }: Context) {
  const form = await readForm(request);
  if (!form) return tooLargeResponse();
  return pageResponse(
    await preferencesPost(
      (await params).token,
      form,
      clientInfo(request),
      acceptLanguage(request),
      gpcClient(request),
    ),
  );
}
