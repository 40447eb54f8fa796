import { getDb, writeTransaction } from '@/db/client';
import { blocksOf, type BlockReason, type BlockScope, type Channel } from '@/db/store/blocks';
import { consentHistoryOf, consentStatesOf, listPurposes, themesOfPurposes } from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { enrollmentsOf } from '@/db/store/privacy-package';
import {
  auditTrailOf,
  privacyRequestById,
  requestQueue,
  requestsOfCustomer,
  type PrivacyRequestKind,
} from '@/db/store/privacy-requests';
import { findUserById } from '@/db/store/users';
import { findVersionIn } from '@/db/store/journeys';
import { journeyDraftSchema, stepTitleIn, type JourneyDraft } from '@/lib/journey';
import type { StaffUser } from '@/lib/auth/roles';
import { liftContactBlock, setContactBlock } from './blocks';
import { checkpointDatabase, receiptContact, sendErasureReceipt, type ErasureReceipt } from './forget';
import { requestDoubleOptIn } from './optin';
import {
  completeRequest,
  createPrivacyRequest,
  extendRequest,
  rejectRequest,
  startRequest,
  type Actor,
  type RequestActionResult,
} from './requests';
import { err, ok, type Result } from '@/lib/result';

/** Everything the customer detail page shows, read in one snapshot. */
export async function customerPrivacyDetail(customerId: number) {
  const db = getDb();
  const customer = await customerById(db, customerId);
  if (!customer) return null;
  const purposes = await listPurposes(db);
  const themes = await themesOfPurposes(
    db,
    purposes.map((p) => p.id),
  );
  return {
    customer,
    purposes: purposes.map((p) => ({ ...p, themes: themes.filter((t) => t.purposeId === p.id) })),
    states: await consentStatesOf(db, customerId),
    history: await consentHistoryOf(db, customerId),
    blocks: await blocksOf(db, customerId),
    requests: await requestsOfCustomer(db, customerId),
    enrollments: await withStepTitles(db, await enrollmentsOf(db, customerId)),
  };
}

/** Each enrollment's step named by its title in the enrollment's own version ("Done", not "exit-1"). */
async function withStepTitles<E extends { journeyId: number; versionId: number; nodeId: string }>(
  db: ReturnType<typeof getDb>,
  rows: E[],
): Promise<(E & { stepTitle: string })[]> {
  const graphs = new Map<number, JourneyDraft | null>();
  for (const row of rows) {
    if (graphs.has(row.versionId)) continue;
    const version = await findVersionIn(db, row.journeyId, row.versionId);
    const parsed = version ? journeyDraftSchema.safeParse(version.graph) : undefined;
    graphs.set(row.versionId, parsed?.success ? parsed.data : null);
  }
  return rows.map((row) => {
    const graph = graphs.get(row.versionId);
    return { ...row, stepTitle: graph ? stepTitleIn(graph, row.nodeId) : 'a step' };
  });
}

const actorOf = (staff: StaffUser): Actor => ({ type: 'user', id: staff.id });

/** A staff action's outcome: the confirmation to show, or why nothing changed. */
export type StaffResult = Result<string>;

export async function staffSetBlock(
  staff: StaffUser,
  input: {
    customerId: number;
    scope: BlockScope;
    channel?: Channel;
    themeKey?: string;
    reason: BlockReason;
    evidence: string;
  },
): Promise<StaffResult> {
  const result = await writeTransaction(
    async (db) => await setContactBlock(db, { ...input, setBy: `user:${staff.id}` }),
  );
  return result.ok ? ok('Block set.') : result;
}

export async function staffLiftBlock(
  staff: StaffUser,
  blockId: number,
  reason: string,
): Promise<StaffResult> {
  const result = await writeTransaction(
    async (db) => await liftContactBlock(db, blockId, { liftedBy: `user:${staff.id}`, reason }),
  );
  return result.ok ? ok('Block lifted.') : result;
}

export async function staffRequestOptIn(
  staff: StaffUser,
  input: { customerId: number; purposeKey: string; themes: string[] },
): Promise<StaffResult> {
  const result = await writeTransaction(
    async (db) =>
      await requestDoubleOptIn(db, {
        ...input,
        source: 'staff',
        evidence: { requestedBy: `user:${staff.id}` },
      }),
  );
  if (result.ok)
    return result.value.kind === 'sent'
      ? ok('Confirmation mail queued. Nothing changes until the customer confirms.')
      : err('invalid_state', 'Already granted: no mail sent.');
  return result.error.code === 'rate_limited'
    ? err('rate_limited', 'A confirmation mail went out recently (at most 1 per 10 minutes, 3 per day).')
    : err(result.error.code, `Not sent: ${result.error.message}.`, { field: result.error.field });
}

export async function staffForget(staff: StaffUser, customerId: number): Promise<StaffResult> {
  const contact = await receiptContact(customerId);
  const result = await writeTransaction(async (db): Promise<RequestActionResult> => {
    const customer = await customerById(db, customerId);
    if (!customer || customer.status === 'erased') return err('invalid_state', 'already erased');
    // Recorded as an erasure request received by staff, so the queue and its audit trail show it.
    const { request } = await createPrivacyRequest(db, {
      customerId,
      kind: 'erasure',
      source: 'staff',
      verified: true,
      actor: actorOf(staff),
    });
    return await completeRequest(db, request.id, {
      actor: actorOf(staff),
      note: 'erased by staff from the customer page',
    });
  });
  if (!result.ok) return result;
  checkpointDatabase();
  const receipt = result.value.request.receipt as unknown as ErasureReceipt;
  await sendErasureReceipt(contact, receipt);
  const restricted = receipt.restricted.map((r) => `${r.purpose}: ${r.reason}`).join(' ');
  return ok(receipt.outcome === 'erased' ? 'Customer erased.' : `Customer restricted. ${restricted}`);
}

export async function staffCreateRequest(
  staff: StaffUser,
  input: { customerId: number; kind: PrivacyRequestKind; note?: string },
): Promise<StaffResult> {
  const { request } = await writeTransaction(
    async (db) =>
      await createPrivacyRequest(db, {
        customerId: input.customerId,
        kind: input.kind,
        source: 'staff',
        verified: true,
        details: input.note ? { note: input.note.slice(0, 1000) } : {},
        actor: actorOf(staff),
      }),
  );
  return ok(`Request #${request.id} opened, due ${request.dueAt.toISOString().slice(0, 10)}.`);
}

/** The compliance queue: open requests first, overdue ones at the top. */
export async function privacyRequestQueue(status: 'open' | 'closed' | 'all' = 'open') {
  const now = Date.now();
  return (await requestQueue(getDb(), { status })).map((row) => ({
    ...row,
    overdue:
      ['unverified', 'open', 'in-progress'].includes(row.request.status) && row.request.dueAt.getTime() < now,
  }));
}

export async function privacyRequestDetail(id: number) {
  const db = getDb();
  const request = await privacyRequestById(db, id);
  if (!request) return null;
  const closed = request.status === 'completed' || request.status === 'rejected';
  return {
    request,
    closed,
    overdue: !closed && request.dueAt.getTime() < Date.now(),
    customer: request.customerId ? await customerById(db, request.customerId) : undefined,
    audit: await withActorNames(await auditTrailOf(db, 'privacy_request', id)),
  };
}

/**
 * Audit lines name who acted: the staff member by name and address (read now, so a line written
 * before a rename shows today's name), an API key by its id, otherwise the kind of actor.
 */
async function withActorNames<T extends { actorType: string; actorId: string | null }>(rows: T[]) {
  const staffIds = [
    ...new Set(rows.filter((r) => r.actorType === 'user' && r.actorId).map((r) => Number(r.actorId))),
  ];
  const names = new Map<number, string>();
  for (const staffId of staffIds) {
    const user = Number.isInteger(staffId) ? await findUserById(staffId) : undefined;
    if (user) names.set(staffId, user.name ? `${user.name} (${user.email})` : user.email);
  }
  return rows.map((row) => ({ ...row, actor: actorLabel(row, names) }));
}

function actorLabel(row: { actorType: string; actorId: string | null }, names: Map<number, string>): string {
  switch (row.actorType) {
    case 'user':
      return names.get(Number(row.actorId)) ?? 'a staff member whose account no longer exists';
    case 'api_key':
      return `API key #${row.actorId}`;
    case 'customer':
      return 'the customer';
    default:
      return row.actorId === 'demo' ? 'the demo set-up' : 'Tarmo';
  }
}

export async function staffRequestAction(
  staff: StaffUser,
  id: number,
  action: 'start' | 'extend' | 'complete' | 'reject',
  input: { reason?: string; note?: string },
): Promise<RequestActionResult> {
  const actor = actorOf(staff);
  const pending = action === 'complete' ? await privacyRequestById(getDb(), id) : undefined;
  const contact =
    pending?.kind === 'erasure' && pending.customerId ? await receiptContact(pending.customerId) : null;
  const result = await writeTransaction(async (db) => {
    switch (action) {
      case 'start':
        return await startRequest(db, id, { actor });
      case 'extend':
        return await extendRequest(db, id, { actor, reason: input.reason ?? '' });
      case 'reject':
        return await rejectRequest(db, id, { actor, reason: input.reason ?? '' });
      case 'complete':
        return await completeRequest(db, id, { actor, note: input.note });
    }
  });
  if (result.ok && action === 'complete' && result.value.request.kind === 'erasure') {
    checkpointDatabase();
    if (result.value.request.receipt)
      await sendErasureReceipt(contact, result.value.request.receipt as unknown as ErasureReceipt);
  }
  return result;
}
