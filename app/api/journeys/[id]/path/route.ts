import { NextResponse } from 'next/server';
import { jsonError } from '@/app/_lib/http';
import { staffRoute } from '@/app/_lib/staff-api';
import { findCustomerPath } from '@/lib/journeys/queries';
import { journeyIdFrom, journeyNotFound, type JourneyContext } from '../../_params';

/** GET ?customer=<id, email or external id>: the customer's path with the reason at each step. */
export const GET = staffRoute<JourneyContext>('customers:view', async (request, context) => {
  const id = await journeyIdFrom(context);
  if (id === null) return journeyNotFound();
  const query = new URL(request.url).searchParams.get('customer')?.slice(0, 320) ?? '';
  if (!query.trim()) return jsonError('invalid_field', 'Enter a customer id or email', 'customer');
  const path = await findCustomerPath(id, query);
  if (!path) return jsonError('not_found', 'No customer matches that search');
  return NextResponse.json({ path });
});
