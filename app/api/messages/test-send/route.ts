import { NextResponse } from 'next/server';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { sendTestMessage, testSendSchema } from '@/lib/messages/preview';
import { savedTestAddresses } from '@/lib/messages/workspace-settings';

/** GET: where a test send can go: the signed-in staff member's own address and the saved list. */
export const GET = staffRoute('journeys:edit', async (_request, _context, staff) =>
  NextResponse.json({ own: staff.email, saved: await savedTestAddresses() }),
);

/** POST {content, purpose, theme?, customerId?, language?, toSavedList?}: a test mail to the signed-in staff member (and the saved list). */
export const POST = staffRoute('journeys:edit', async (request, _context, staff) => {
  const body = await parseJsonBody(request, testSendSchema, 300_000);
  if (!body.ok) return body.response;
  const result = await sendTestMessage(staff, body.data);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value, { status: 202 });
});
