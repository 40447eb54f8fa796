import { authenticateApiKey, bearerKey } from '@/app/_lib/api-auth';
import { jsonError } from '@/app/_lib/http';
import { verifyApiKey } from '@/lib/auth/api-keys';
import { sessionTokenOf, staffOfTokenNow } from '@/lib/auth/next-auth';
import { can } from '@/lib/auth/roles';

export type ConsentReadAccess =
  | {
      ok: true;
      /** Asked again while a stream is open: false once the key or session no longer allows it. */
      stillAuthorized: () => Promise<boolean>;
    }
  | { ok: false; response: Response };

/**
 * Who may read consent aggregates: a compliance officer or admin signed in (Mission Control),
 * or an integration with an API key holding the `read` or `privacy` scope. A marketer's
 * session gets 403 — the same rule as the page.
 */
export async function authorizeConsentRead(request: Request): Promise<ConsentReadAccess> {
  if (request.headers.get('authorization')) {
    const key = bearerKey(request);
    const keyStillValid = async () =>
      (await verifyApiKey(key, 'read')).ok || (await verifyApiKey(key, 'privacy')).ok;
    const asReader = await authenticateApiKey(request, 'read');
    if (asReader.ok) return { ok: true, stillAuthorized: keyStillValid };
    if (asReader.response.status !== 403) return asReader;
    const asPrivacy = await authenticateApiKey(request, 'privacy');
    return asPrivacy.ok ? { ok: true, stillAuthorized: keyStillValid } : asPrivacy;
  }
  const token = await sessionTokenOf(request);
  const staff = await staffOfTokenNow(token);
  if (!staff) return { ok: false, response: jsonError('unauthorized', 'Sign in or send an API key') };
  if (!can(staff.role, 'mission-control:view')) {
    return {
      ok: false,
      response: jsonError('forbidden', 'Mission Control is for compliance officers and admins'),
    };
  }
  return {
    ok: true,
    stillAuthorized: async () => can((await staffOfTokenNow(token))?.role, 'mission-control:view'),
  };
}
