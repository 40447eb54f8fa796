import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { findPreviewCustomers } from '@/lib/messages/preview';

/** GET ?q=: up to 10 active customers by name, address or id, to preview a message as. */
export const GET = staffRoute('journeys:edit', async (request) => {
  const query = new URL(request.url).searchParams.get('q') ?? '';
  return NextResponse.json({ customers: await findPreviewCustomers(query) });
});
