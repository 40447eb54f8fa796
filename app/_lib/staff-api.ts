import type { NextResponse } from 'next/server';
import { currentStaff } from './session';
import { jsonError, withNoStore } from './http';
import { can, type Permission, type StaffUser } from '@/lib/auth/roles';
import { isSameOriginRequest } from '@/lib/auth/csrf';

type Handler<C> = (request: Request, context: C, staff: StaffUser) => Promise<Response | NextResponse>;

/**
 * Wraps a staff route handler: 401 without a session, 403 without the permission,
 * 403 for a state-changing request that did not come from our own pages (CSRF).
 */
export function staffRoute<C = unknown>(permission: Permission, handler: Handler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    const staff = await currentStaff();
    if (!staff) return jsonError('unauthorized', 'Sign in first');
    if (!can(staff.role, permission)) return jsonError('forbidden', `Your role may not ${permission}`);
    if (!['GET', 'HEAD'].includes(request.method) && !isSameOriginRequest(request.headers)) {
      return jsonError('csrf', 'Cross-site request refused');
    }
    return withNoStore(await handler(request, context, staff));
  };
}
