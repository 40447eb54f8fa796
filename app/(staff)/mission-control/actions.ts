'use server';
import { requirePermission } from '@/app/_lib/session';
import { recordAudit } from '@/lib/audit';
import { verifyLedger } from '@/lib/privacy/ledger';

export type VerifyResult = { ok: boolean; message: string; firstBrokenEventId: number | null };

/** "Verify now": walks the whole chain and records a ledger_checks row (the summary shows it). */
export async function verifyLedgerNow(): Promise<VerifyResult> {
  const staff = await requirePermission('mission-control:view');
  const result = await verifyLedger();
  await recordAudit({
    actorType: 'user',
    actorId: staff.id,
    action: 'ledger.verified',
    details: {
      ok: result.ok,
      checked: result.checked,
      firstBrokenEventId: result.firstBrokenEventId ?? null,
    },
  });
  return { ok: result.ok, message: result.message, firstBrokenEventId: result.firstBrokenEventId ?? null };
}
