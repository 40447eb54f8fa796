import { jsonError } from '@/app/_lib/http';

export type JourneyContext = { params: Promise<{ id: string }> };

/** Journey ids are positive integers; anything else is a 404 (never a 500). */
export async function journeyIdFrom(context: JourneyContext): Promise<number | null> {
  const { id } = await context.params;
  return /^\d{1,12}$/.test(id) ? Number(id) : null;
}

export function journeyNotFound() {
  return jsonError('not_found', 'No such journey');
}
