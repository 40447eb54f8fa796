import { exportGet } from '@/lib/privacy/customer-pages';
import { acceptLanguage, gpcClient, pageResponse } from '@/lib/privacy/http';
import { GET as download } from './download/route';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ token: string }> };

/** Browsers get a page with a download button; clients that do not ask for HTML get the zip itself. */
export async function GET(request: Request, context: Context) {
  if (!(request.headers.get('accept') ?? '').includes('text/html')) return download(request, context);
  return pageResponse(
    await exportGet((await context.params).token, acceptLanguage(request), gpcClient(request)),
  );
}
