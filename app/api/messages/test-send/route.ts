import { NextResponse } from 'next/server';
import { failureResponse, parseJsonBody } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { sendTestMessage, testSendSchema } from '@/lib/messages/preview';

/** POST {content, purpose, theme?, customerId?, language?, addresses?}: a test mail to the signed-in staff member. */
export const POST = staffRoute('journeys:edit', async (request, _context, staff) => {
  const body = await parseJsonBody(request, testSendSchema, 300_000);
  if (!body.ok) return body.response;
  const result = await sendTestMessage(staff, body.data);
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json(result.value, { status: 202 });
});
