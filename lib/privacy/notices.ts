import type { Db } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  grantedCustomerIds,
  insertNoticeVersion,
  latestNoticeVersion,
  purposeByKey,
} from '@/db/store/consent';
import { requestDoubleOptIn } from './optin';
import { sha256Hex } from './crypto';

/**
 * Publishes a new notice version for a purpose, one text per locale. Old versions stay (grants
 * point at the exact text they agreed to by its hash). With requiresReconsent, grants under older
 * versions stop counting: checkContactAllowed refuses them until the person confirms again; with
 * askAgain as well, every customer who had granted it is informed and asked by a double opt-in mail
 * (GDPR: a changed purpose needs the person told and a new consent).
 */
export async function publishNotice(
  db: Db,
  input: {
    purposeKey: string;
    texts: Record<string, string>;
    requiresReconsent: boolean;
    askAgain?: boolean;
    createdBy?: number | null;
  },
): Promise<{ ok: true; version: number; asked: number } | { ok: false; reason: string }> {
  const purpose = await purposeByKey(db, input.purposeKey);
  if (!purpose) return { ok: false, reason: `unknown purpose ${input.purposeKey}` };
  const texts = Object.entries(input.texts).filter(([, text]) => text.trim());
  if (!texts.some(([locale]) => locale === 'en')) return { ok: false, reason: 'an English text is required' };
  const version = (await latestNoticeVersion(db, purpose.id)) + 1;
  for (const [locale, text] of texts) {
    await insertNoticeVersion(db, {
      purposeId: purpose.id,
      version,
      locale,
      text: text.trim(),
      textHash: sha256Hex(text.trim()),
      requiresReconsent: input.requiresReconsent,
      createdBy: input.createdBy ?? null,
    });
  }
  await insertAudit(db, {
    actorType: input.createdBy ? 'user' : 'system',
    actorId: input.createdBy ?? null,
    action: 'notice.published',
    targetType: 'purpose',
    targetId: purpose.id,
    details: { version, locales: texts.map(([l]) => l), requiresReconsent: input.requiresReconsent },
  });
  let asked = 0;
  if (input.requiresReconsent && input.askAgain) {
    for (const customerId of await grantedCustomerIds(db, purpose.id)) {
      const result = await requestDoubleOptIn(db, {
        customerId,
        purposeKey: purpose.key,
        source: 'system',
        evidence: { reason: 'notice changed; fresh consent required', noticeVersion: version },
      });
      if (result.ok && result.value.kind === 'sent') asked++;
    }
  }
  return { ok: true, version, asked };
}
