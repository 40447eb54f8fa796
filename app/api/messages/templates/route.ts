import { NextResponse } from 'next/server';
import { staffRoute } from '@/app/_lib/staff-api';
import { listTemplates } from '@/lib/messages/templates';

/** GET: the active message templates (id, name, version, content) for the send step's template picker. */
export const GET = staffRoute('journeys:view', async () => {
  const templates = await listTemplates();
  return NextResponse.json({
    templates: templates.map(({ id, name, description, version, content }) => ({
      id,
      name,
      description,
      version,
      content,
    })),
  });
});
