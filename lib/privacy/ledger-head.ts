import { z } from 'zod';
import { constantTimeEqualHex, hmacHex } from './crypto';

/**
 * The ledger's head as an auditor keeps it outside Tarmo: how many events the chain held, the
 * newest one's id and chained hash, and when. The signature is an HMAC under the ledger key, so
 * checkpoints in the database cannot be forged by someone who can write the database but not
 * read the data directory.
 */
export type LedgerHead = { eventCount: number; headEventId: number; headHash: string };
export type SignedLedgerHead = LedgerHead & { at: Date; signature: string };

export const HEAD_FORMAT = 'tarmo-ledger-head/1';

function headText(head: LedgerHead): string {
  return [HEAD_FORMAT, head.eventCount, head.headEventId, head.headHash].join('|');
}

export function signLedgerHead(key: string, head: LedgerHead): string {
  return hmacHex(key, headText(head));
}

export function headSignatureValid(key: string, head: LedgerHead & { signature: string }): boolean {
  return (
    /^[a-f0-9]{64}$/.test(head.signature) && constantTimeEqualHex(signLedgerHead(key, head), head.signature)
  );
}

const exportedHeadSchema = z.object({
  format: z.literal(HEAD_FORMAT),
  eventCount: z.number().int().min(0),
  headEventId: z.number().int().min(0),
  headHash: z.string().regex(/^[a-f0-9]{64}$/),
  at: z.string(),
  signature: z.string().regex(/^[a-f0-9]{64}$/),
});

/** What `ledger:verify --export-head FILE` writes: one JSON object. */
export function exportLedgerHead(head: SignedLedgerHead): string {
  return `${JSON.stringify(
    {
      format: HEAD_FORMAT,
      eventCount: head.eventCount,
      headEventId: head.headEventId,
      headHash: head.headHash,
      at: head.at.toISOString(),
      signature: head.signature,
    },
    null,
    2,
  )}\n`;
}

/** An expected head kept outside Tarmo. Either the exported JSON, or the short form `COUNT:HASH`. */
export type ExpectedHead = { eventCount: number; headHash: string; headEventId?: number };

export function parseExpectedHead(text: string): ExpectedHead | null {
  const trimmed = text.trim();
  const short = /^(\d+):([a-f0-9]{64})$/.exec(trimmed);
  if (short) return { eventCount: Number(short[1]), headHash: short[2]! };
  try {
    const parsed = exportedHeadSchema.safeParse(JSON.parse(trimmed));
    return parsed.success
      ? {
          eventCount: parsed.data.eventCount,
          headHash: parsed.data.headHash,
          headEventId: parsed.data.headEventId,
        }
      : null;
  } catch {
    return null;
  }
}
