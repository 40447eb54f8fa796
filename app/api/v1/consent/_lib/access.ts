import { authenticateApiKey } from '@/app/_lib/api-auth';
import { jsonError } from '@/app/_lib/http';
import { currentStaff } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';

/**
 * Who may read consent aggregates: a compliance officer or admin signed in (Mission Control),
 * or an integration with an API key holding the `read` or `privacy` scope. A marketer's
 * session gets 403 — the same rule as the page.
 */
export async function authorizeConsentRead(
  request: Request,
): Promise<{ ok: true } | { ok: false; response: Response }> {
  if (request.headers.get('authorization')) {
    const asReader = await authenticateApiKey(request, 'read');
    if (asReader.ok) return { ok: true };
    if (asReader.response.status !== 403) return asReader;
    const asPrivacy = await authenticateApiKey(request, 'privacy');
    return asPrivacy.ok ? { ok: true } : asPrivacy;
  }
  const staff = await currentStaff();
  if (!staff) return { ok: false, response: jsonError('unauthorized', 'Sign in or send an API key') };
  if (!can(staff.role, 'mission-control:view')) {
    return {
      ok: false,
      response: jsonError('forbidden', 'Mission Control is for compliance officers and admins'),
    };
  }
  return { ok: true };
}
