import crypto from 'node:crypto';
import { writeTransaction, getDb } from '../client';
import { customers, notices, purposes, themes, users } from '../schema';
import type { LegalBasis, Recipient, Translations } from '@/lib/vocabulary';

/** A purpose to create with its themes and first notice (the demo workspace's, or an import's). */
export type PurposeSeed = {
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  retentionDays: number;
  recipients?: Recipient[];
  retentionDuty?: string;
  translations?: Translations;
  /** Sale or sharing / targeted advertising: Global Privacy Control objects to it. */
  honoursGpc?: boolean;
  themes?: { key: string; name: string; description: string; translations?: Translations }[];
  notice: { en: string; de: string };
};

export type CustomerSeed = typeof customers.$inferInsert;

export async function isWorkspaceEmpty(): Promise<boolean> {
  const db = getDb();
  const counts = await Promise.all([db.$count(users), db.$count(purposes), db.$count(customers)]);
  return counts.every((count) => count === 0);
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Purposes with their themes and version-1 notices in every locale, in one transaction. */
export async function insertPurposes(list: PurposeSeed[], authorId?: number) {
  return await writeTransaction(async (db) => {
    const inserted = [];
    for (const p of list) {
      const purpose = await db
        .insert(purposes)
        .values({
          key: p.key,
          name: p.name,
          description: p.description,
          legalBasis: p.legalBasis,
          retentionDays: p.retentionDays,
          recipients: p.recipients ?? [],
          retentionDuty: p.retentionDuty ?? null,
          translations: p.translations ?? {},
          honoursGpc: p.honoursGpc ?? false,
        })
        .returning()
        .get();
      for (const t of p.themes ?? [])
        await db
          .insert(themes)
          .values({ purposeId: purpose.id, ...t })
          .run();
      for (const [locale, text] of Object.entries(p.notice)) {
        await db
          .insert(notices)
          .values({
            purposeId: purpose.id,
            version: 1,
            locale,
            text,
            textHash: sha256(text),
            createdBy: authorId ?? null,
          })
          .run();
      }
      inserted.push(purpose);
    }
    return inserted;
  });
}

export async function insertCustomers(list: CustomerSeed[]) {
  return await writeTransaction(async (db) => {
    const inserted = [];
    for (const c of list) inserted.push(await db.insert(customers).values(c).returning().get());
    return inserted;
  });
}
