import fs from 'node:fs';
import { findExportDownload } from '@/lib/privacy/customer-pages';
import { recordExportDownload } from '@/lib/privacy/exports';
import { localeFromAcceptLanguage } from '@/lib/mail/i18n';
import { acceptLanguage, clientInfo, gpcClient, pageResponse } from '@/lib/privacy/http';
import { invalidLinkPage } from '@/lib/privacy/pages';

export const dynamic = 'force-dynamic';
type Context = { params: Promise<{ token: string }> };

/** The zip itself, while the link is valid; every download is counted and audited. */
export async function GET(request: Request, { params }: Context) {
  const found = await findExportDownload((await params).token, gpcClient(request));
  // A dead link answers in the browser's language, like every customer page (nothing tells why).
  if (!found.ok)
    return pageResponse(invalidLinkPage(found.error, localeFromAcceptLanguage(acceptLanguage(request))));
  await recordExportDownload(found.value.exportId, clientInfo(request));
  return new Response(new Uint8Array(fs.readFileSync(found.value.filePath)), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': 'attachment; filename="my-data.zip"',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}
