import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { listDeadLetters } from '@/lib/journeys/dead-letters';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

/** GET: the journey's dead-lettered enrollments (customer names included, hence customers:view). */
export const GET = staffRoute<JourneyContext>('customers:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  return NextResponse.json(
    { failed: await listDeadLetters(id) },
    { headers: { 'cache-control': 'no-store' } },
  );
});
