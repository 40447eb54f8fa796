import { recordRollout } from '@/lib/executor/rollout';
import { getDb, writeTransaction } from '@/db/client';
import { customerAttributeNames } from '@/db/store/messages';
import { listPurposeRecordTexts } from '@/db/store/dashboard';
import { insertAudit } from '@/db/store/audit';
import {
  findDraftIn,
  findJourneyIn,
  insertPublishedVersion,
  latestPublished,
  listPurposesWithThemes,
  updateJourney,
} from '@/db/store/journeys';
import {
  diffGraphs,
  formatZodIssues,
  journeyGraphSchema,
  validateJourney,
  type Issue,
  type JourneyDraft,
  type ValidationContext,
} from '@/lib/journey';
import { err, ok, type Failure, type Result } from '@/lib/result';
import { messagePublishIssues, resolveTemplates } from './message-checks';
import { NOT_FOUND, parseDraftGraph, type Actor } from './service';

/**
 * Publishing a journey's draft as a new immutable version: the same validation the canvas shows
 * (against the purposes, their records and the attributes in use), message checks, templates
 * copied in, then the version, the live pointer and the rollout record in one transaction. The
 * executor's side (who enrolls, who moves) is lib/journeys/lifecycle's publishJourney.
 */

export async function validationContext(): Promise<ValidationContext> {
  const purposes = await listPurposesWithThemes();
  const records = await listPurposeRecordTexts();
  return {
    purposes: purposes.map((purpose) => ({
      key: purpose.key,
      legalBasis: purpose.legalBasis,
      themes: purpose.themes.map((theme) => theme.key),
      recipients: purpose.recipients.map((recipient) => recipient.key),
      record: records.get(purpose.key) ?? '',
    })),
    attributeNames: await customerAttributeNames(getDb()),
  };
}

export type Published = {
  kind: 'published';
  versionId: number;
  number: number;
  changeSummary: string;
  warnings: Issue[];
  /** The journey's status afterwards ("live", or "paused" when it was paused). */
  status: 'live' | 'paused';
};
/** The draft behaves exactly like the live version: no new version is made. */
export type Unchanged = { kind: 'unchanged'; versionId: number; number: number };
/** validation_failed carries `errors` and `warnings`, confirm_warnings `warnings`, conflict `currentRevision`. */
export type PublishResult = Result<
  Published | Unchanged,
  Failure<'validation_failed' | 'confirm_warnings' | 'conflict' | 'not_found'>
>;

function blocked(errors: Issue[], warnings: Issue[], message = 'Fix the errors before publishing') {
  return err('validation_failed', message, { details: { errors, warnings } });
}

/**
 * Publishes the draft as a new immutable version. Errors block; warnings need an explicit
 * confirmation. `revision` (when given) must match the draft, so what is published is what
 * the marketer last saw.
 */
export async function publishDraft(
  actor: Actor,
  journeyId: number,
  options: { revision?: number; confirmWarnings?: boolean; moveRunning?: boolean },
): Promise<PublishResult> {
  const ctx = await validationContext();
  return await writeTransaction(async (db): Promise<PublishResult> => {
    const journey = await findJourneyIn(db, journeyId);
    const draft = await findDraftIn(db, journeyId);
    if (!journey || !draft) return NOT_FOUND;
    if (options.revision !== undefined && options.revision !== draft.revision) {
      return err('conflict', 'The draft changed since you loaded it. Reload before publishing.', {
        details: { currentRevision: draft.revision },
      });
    }
    const parsedDraft = parseDraftGraph(draft.graph);
    if (!parsedDraft.ok) {
      return blocked(
        parsedDraft.issues.map((issue) => ({
          code: 'malformed',
          message: issue.message,
          nodeId: issue.nodeId,
        })),
        [],
      );
    }
    // Templates are copied into the version (see resolveTemplates): checked and published as copied.
    const resolved = await resolveTemplates(db, parsedDraft.graph);
    const checked = validateJourney(resolved.graph, ctx);
    const messageIssues = await messagePublishIssues(db, resolved.graph);
    const result = {
      ok: checked.ok && messageIssues.errors.length === 0 && resolved.errors.length === 0,
      errors: [...checked.errors, ...resolved.errors, ...messageIssues.errors],
      warnings: [...checked.warnings, ...messageIssues.warnings],
    };
    if (journey.status === 'archived') {
      return blocked(
        [{ code: 'archived', message: 'An archived journey cannot be published' }],
        result.warnings,
      );
    }
    if (!result.ok) return blocked(result.errors, result.warnings);
    // The strict schema normalises configs (defaults filled in) for the executor.
    const strict = journeyGraphSchema.safeParse(resolved.graph);
    if (!strict.success) {
      return blocked(
        formatZodIssues(strict.error, resolved.graph).map((issue) => ({
          code: 'invalid-config',
          message: `${issue.path}: ${issue.message}`,
          nodeId: issue.nodeId,
        })),
        result.warnings,
      );
    }
    const previous = await latestPublished(db, journeyId);
    const diff = previous ? diffGraphs(previous.graph as JourneyDraft, strict.data) : undefined;
    // Publishing what is already live would only add a "No changes" version (moving steps is no change).
    if (
      previous &&
      diff &&
      journey.liveVersionId === previous.id &&
      diff.added.length + diff.removed.length + diff.changed.length === 0
    ) {
      return ok({ kind: 'unchanged' as const, versionId: previous.id, number: previous.number ?? 0 });
    }
    if (result.warnings.length > 0 && !options.confirmWarnings) {
      return err('confirm_warnings', 'Confirm the warnings to publish', {
        details: { errors: [], warnings: result.warnings },
      });
    }
    const changeSummary = diff
      ? diff.summary
      : `First version: ${strict.data.nodes.length} ${strict.data.nodes.length === 1 ? 'step' : 'steps'}`;
    const version = await insertPublishedVersion(db, {
      journeyId,
      graph: strict.data,
      authorId: actor.id,
      changeSummary,
    });
    const status = journey.status === 'paused' ? 'paused' : 'live';
    await updateJourney(db, journeyId, { liveVersionId: version.id, status }, actor.id);
    // Live and "to be rolled out" commit together: a crash before the rollout ends leaves it on
    // record for a worker to finish (lib/executor/rollout).
    await recordRollout(db, journeyId, version.id, { moveRunning: options.moveRunning ?? true });
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'journey.publish',
      targetType: 'journey',
      targetId: journeyId,
      details: { versionId: version.id, number: version.number, warnings: result.warnings.length },
    });
    return ok({
      kind: 'published' as const,
      versionId: version.id,
      number: version.number ?? 0,
      changeSummary,
      warnings: result.warnings,
      status,
    });
  });
}
