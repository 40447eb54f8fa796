import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { listCustomersAtNode } from '@/lib/journeys/queries';
import { nodeIdSchema } from '@/lib/journey';
import { journeyIdFrom, journeyNotFound } from '../../../../_params';

type NodeContext = { params: Promise<{ id: string; nodeId: string }> };

export const GET = staffRoute<NodeContext>('customers:view', async (_request, context) => {
  const id = await journeyIdFrom(context);
  const nodeId = nodeIdSchema.safeParse((await context.params).nodeId);
  if (id === null || !nodeId.success) return journeyNotFound();
  return NextResponse.json({ customers: await listCustomersAtNode(id, nodeId.data) });
});
