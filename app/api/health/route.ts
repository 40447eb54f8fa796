import { NextResponse } from 'next/server';
import { databaseAnswers } from '@/lib/operations/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  if (await databaseAnswers()) return NextResponse.json({ status: 'ok' });
  return NextResponse.json({ status: 'unavailable' }, { status: 503 });
}
