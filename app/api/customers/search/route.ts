import { NextResponse } from 'next/server';
import { jsonError } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { customerSearchQuery, findCustomersForPicker } from '@/lib/customers/search';

/** GET ?q=text&limit=20: active customers matching an id, the start of an address or part of a name. */
export const GET = staffRoute('customers:view', async (request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = customerSearchQuery.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonError('bad_request', issue?.message ?? 'Invalid query', String(issue?.path[0] ?? 'q'));
  }
  return NextResponse.json(
    { customers: await findCustomersForPicker(parsed.data) },
    { headers: { 'cache-control': 'no-store' } },
  );
});
