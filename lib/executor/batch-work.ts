import {
  insertStepEvents,
  savePositions,
  type Position,
  type StepEventInput,
} from '@/db/store/enrollment-positions';
import { insertOutboxEmails } from '@/db/store/outbox';
import { loadPublishedVersion, type PublishedVersion } from '@/lib/versions/published';
import type { StepEnvironment } from './step-runner';
import type { BufferedRows } from './types';

/**
 * A batch's shared state inside its transaction (lib/executor/engine), and its write buffers:
 * step events, positions and mails are collected here and written many rows per statement.
 */

/** What the steps of one batch share inside its transaction. */
export interface BatchWork {
  env: StepEnvironment;
  /** Steps run in this batch by type (counted in the metrics once the batch committed). */
  stepCounts: Map<string, number>;
  deadLetters: number;
  stats: Map<number, Map<string, number>>;
  afterCommit: (() => void)[];
  /**
   * Step events not yet written. They are inserted many rows per statement before the batch
   * commits, and before any step that may read or erase them (see FLUSHES_BUFFERED_FIRST).
   */
  stepEvents: StepEventInput[];
  /**
   * Final positions of the claims this batch has run, not yet written (by enrollment id). Written
   * many rows per statement under the same rule as the step events: before the batch commits and
   * before any step that may read or change other enrollments (erasure, goal ends …).
   */
  positions: Map<number, Position>;
  /** The send step's mails, written together (same rule as the step events). */
  rows: BufferedRows;
  /** The batch's clock (updated_at of the positions it writes). */
  now: number;
  /** Published versions this batch runs (immutable), so a claim looks its version up without a promise. */
  versions: Map<number, PublishedVersion>;
}

export async function loadVersion(batch: BatchWork, versionId: number): Promise<PublishedVersion> {
  const version = await loadPublishedVersion(batch.env.db, versionId);
  if (!version) throw new Error(`journey version ${versionId} is not published`);
  batch.versions.set(versionId, version);
  return version;
}

/**
 * Writes the buffered mail, step events and positions: before the batch commits, and before a
 * step whose declared effects write rows or read history (FLUSHES_BUFFERED_FIRST).
 */
export async function flushBuffered(batch: BatchWork) {
  const { rows } = batch;
  if (rows.mails.length > 0) {
    await insertOutboxEmails(batch.env.db, rows.mails);
    rows.mails = [];
  }
  if (batch.stepEvents.length > 0) {
    await insertStepEvents(batch.env.db, batch.stepEvents);
    batch.stepEvents = [];
  }
  if (batch.positions.size > 0) {
    const positions = [...batch.positions].map(([id, position]) => ({ id, position }));
    await savePositions(batch.env.db, positions, batch.now);
    batch.positions.clear();
  }
}
