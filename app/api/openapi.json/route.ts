import { NextResponse } from 'next/server';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { appEnv } from '@/lib/config/env';

export const dynamic = 'force-dynamic';

export function GET() {
  return NextResponse.json(buildOpenApiDocument(appEnv().appUrl));
}
