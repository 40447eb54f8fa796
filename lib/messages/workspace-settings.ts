import { z } from 'zod';
import { getDb, handleOf, writeTransaction, type Db, type DbHandle } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { readWorkspaceSetting, writeWorkspaceSetting } from '@/db/store/message-templates';
import type { StaffUser } from '@/lib/auth/roles';
import { ok, type Result } from '@/lib/result';
import { DEFAULT_LAYOUT, workspaceLayoutSchema, type WorkspaceLayout } from './layout';

/** The workspace settings of messages: each key's value is validated by its schema on read and write. */
const LAYOUT_KEY = 'message.layout';
const TEST_ADDRESSES_KEY = 'message.test-addresses';

export const MAX_TEST_ADDRESSES = 20;
export const testAddressesSchema = z
  .array(z.email('Enter addresses like name@example.com').max(320))
  .max(MAX_TEST_ADDRESSES, `At most ${MAX_TEST_ADDRESSES} test addresses`);

/**
 * The layout every mail is rendered in. Read at most every few seconds per process and kept as
 * the same object while it is unchanged, so the compiled MJML cached by (variant, layout) is
 * reused across mails: a layout change reaches every worker within LAYOUT_TTL_MS.
 */
const LAYOUT_TTL_MS = 5_000;
const layoutCache = new WeakMap<DbHandle, { json: string; layout: WorkspaceLayout; until: number }>();

export async function workspaceLayout(db: Db = getDb()): Promise<WorkspaceLayout> {
  const handle = handleOf(db);
  const hit = layoutCache.get(handle);
  if (hit && hit.until > Date.now()) return hit.layout;
  const parsed = workspaceLayoutSchema.safeParse(await readWorkspaceSetting(db, LAYOUT_KEY));
  const layout = parsed.success ? parsed.data : DEFAULT_LAYOUT;
  const json = JSON.stringify(layout);
  const same = hit?.json === json ? hit.layout : layout;
  layoutCache.set(handle, { json, layout: same, until: Date.now() + LAYOUT_TTL_MS });
  return same;
}

export async function saveWorkspaceLayout(
  staff: StaffUser,
  layout: WorkspaceLayout,
  now = new Date(),
): Promise<Result<WorkspaceLayout>> {
  await writeTransaction(async (db) => {
    await writeWorkspaceSetting(db, LAYOUT_KEY, layout, staff.id, now);
    await insertAudit(db, { actorType: 'user', actorId: staff.id, action: 'message.layout_update' });
    layoutCache.delete(handleOf(db));
  });
  return ok(layout);
}

/** The saved test addresses a test send may go to (besides the staff member's own). */
export async function savedTestAddresses(db: Db = getDb()): Promise<string[]> {
  const parsed = testAddressesSchema.safeParse(await readWorkspaceSetting(db, TEST_ADDRESSES_KEY));
  return parsed.success ? parsed.data : [];
}

export async function saveTestAddresses(
  staff: StaffUser,
  addresses: string[],
  now = new Date(),
): Promise<Result<string[]>> {
  const unique = [...new Set(addresses.map((address) => address.trim().toLowerCase()))];
  await writeTransaction(async (db) => {
    await writeWorkspaceSetting(db, TEST_ADDRESSES_KEY, unique, staff.id, now);
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: 'message.test_addresses_update',
      details: { count: unique.length },
    });
  });
  return ok(unique);
}
