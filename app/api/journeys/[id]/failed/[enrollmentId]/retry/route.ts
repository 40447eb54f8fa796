import { NextResponse } from 'next/server';
import { failureResponse } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { retryDeadLetter } from '@/lib/journeys/dead-letters';
import { journeyIdFrom, journeyNotFound } from '../../../../_params';

type RetryContext = { params: Promise<{ id: string; enrollmentId: string }> };

/** POST: puts a dead-lettered enrollment back in the queue at the step it failed on. */
export const POST = staffRoute<RetryContext>('journeys:edit', async (_request, context, staff) => {
  const id = await journeyIdFrom(context);
  const { enrollmentId } = await context.params;
  if (id === null || !/^\d{1,12}$/.test(enrollmentId)) return journeyNotFound();
  const result = await retryDeadLetter(staff, id, Number(enrollmentId));
  if (!result.ok) return failureResponse(result.error);
  return NextResponse.json({ retried: true });
});
