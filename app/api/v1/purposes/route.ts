import { NextResponse } from 'next/server';
import { apiRoute } from '@/app/_lib/api-auth';
import { listPurposesWithThemes } from '@/lib/api/catalog';

export const GET = apiRoute('read', async () => {
  const purposes = await listPurposesWithThemes();
  return NextResponse.json({
    data: purposes.map((purpose) => ({
      key: purpose.key,
      name: purpose.name,
      description: purpose.description,
      legalBasis: purpose.legalBasis,
      retentionDays: purpose.retentionDays,
      honoursGpc: purpose.honoursGpc,
      themes: purpose.themes.map(({ key, name, description }) => ({ key, name, description })),
      currentNoticeVersion: purpose.currentNoticeVersion,
    })),
  });
});
