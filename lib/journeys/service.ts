import { writeTransaction } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import {
  findDraftIn,
  findJourneyIn,
  findVersionIn,
  insertJourney,
  listPurposesWithThemes,
  replaceDraft,
  saveDraftIn,
  updateJourney,
  type JourneyRow,
} from '@/db/store/journeys';
import {
  findStructuralIssues,
  formatZodIssues,
  journeyDraftSchema,
  stepDefinitions,
  type FormattedIssue,
  type JourneyDraft,
} from '@/lib/journey';
import { journeyTemplate } from '@/lib/journey/templates';
import { err, ok, type Failure, type Result } from '@/lib/result';

export interface Actor {
  id: number;
}

export type JourneyNotFound = Failure<'not_found'>;

export const NOT_FOUND = err('not_found', 'No such journey');
const NAME_MISSING = err('invalid_field', 'Give the journey a name', { field: 'name' });

/** A new journey starts with just its entry step, so the canvas is never empty. */
export function starterGraph(): JourneyDraft {
  return {
    nodes: [
      {
        id: 'entry',
        type: 'entry',
        title: 'Entry',
        position: { x: 0, y: 0 },
        config: structuredClone(stepDefinitions.entry.defaultConfig),
      },
    ],
    edges: [],
  };
}

export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').slice(0, 200);
}

/** A starter template and, for one that contacts customers, the consent purpose it is for. */
export interface TemplateChoice {
  template: string;
  purpose?: string;
}

/** The starting graph of a template, for a purpose that exists and rests on consent. */
async function templateGraph(
  choice: TemplateChoice,
): Promise<Result<JourneyDraft, Failure<'invalid_field'>>> {
  const template = journeyTemplate(choice.template);
  if (!template) return err('invalid_field', 'Choose one of the templates', { field: 'template' });
  if (!template.needsPurpose) return ok(template.build({ purpose: '' }));
  const purposes = await listPurposesWithThemes();
  const purpose = purposes.find((p) => p.key === choice.purpose && p.legalBasis === 'consent');
  if (!purpose)
    return err('invalid_field', 'Choose the purpose customers agreed to for this journey', {
      field: 'purpose',
    });
  return ok(template.build({ purpose: purpose.key }));
}

/**
 * A new draft journey: just its entry step, or a starter template (lib/journey/templates) built
 * for the chosen purpose. Nothing is published or sent until the marketer publishes.
 */
export async function createJourney(
  actor: Actor,
  name: string,
  choice?: TemplateChoice,
): Promise<Result<JourneyRow, Failure<'invalid_field'>>> {
  const cleaned = cleanName(name);
  if (!cleaned) return NAME_MISSING;
  const graph = choice ? await templateGraph(choice) : ok(starterGraph());
  if (!graph.ok) return graph;
  return await writeTransaction(async (db) => {
    const journey = await insertJourney(db, { name: cleaned, graph: graph.value, authorId: actor.id });
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'journey.create',
      targetType: 'journey',
      targetId: journey.id,
    });
    return ok(journey);
  });
}

export async function renameJourney(
  actor: Actor,
  id: number,
  name: string,
): Promise<Result<JourneyRow, Failure<'invalid_field' | 'not_found'>>> {
  const cleaned = cleanName(name);
  if (!cleaned) return NAME_MISSING;
  return await writeTransaction(
    async (db): Promise<Result<JourneyRow, Failure<'invalid_field' | 'not_found'>>> => {
      const updated = await updateJourney(db, id, { name: cleaned }, actor.id);
      if (!updated) return NOT_FOUND;
      await insertAudit(db, {
        actorType: 'user',
        actorId: actor.id,
        action: 'journey.rename',
        targetType: 'journey',
        targetId: id,
      });
      return ok(updated);
    },
  );
}

/** Copies the current draft (not the live version) into a new draft journey. */
export async function duplicateJourney(
  actor: Actor,
  id: number,
): Promise<Result<JourneyRow, JourneyNotFound>> {
  return await writeTransaction(async (db): Promise<Result<JourneyRow, JourneyNotFound>> => {
    const journey = await findJourneyIn(db, id);
    const draft = await findDraftIn(db, id);
    if (!journey || !draft) return NOT_FOUND;
    const copy = await insertJourney(db, {
      name: cleanName(`Copy of ${journey.name}`),
      graph: draft.graph,
      authorId: actor.id,
    });
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'journey.duplicate',
      targetType: 'journey',
      targetId: copy.id,
      details: { from: id },
    });
    return ok(copy);
  });
}

/**
 * Parses a draft graph from the canvas. Configs may be half filled (the validator reports
 * that), but the structure must be sound: known step types, unique ids, edges between
 * existing steps. Issues name the step they are about.
 */
export function parseDraftGraph(
  input: unknown,
): { ok: true; graph: JourneyDraft } | { ok: false; issues: FormattedIssue[] } {
  const parsed = journeyDraftSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: formatZodIssues(parsed.error, input) };
  const broken = findStructuralIssues(parsed.data).filter((issue) =>
    ['duplicate-node-id', 'duplicate-edge-id', 'edge-unknown-node'].includes(issue.code),
  );
  if (broken.length > 0) {
    return {
      ok: false,
      issues: broken.map((issue) => ({
        path: issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
          .join('')
          .slice(1),
        message: issue.message,
        nodeId: issue.nodeId,
        edgeId: issue.edgeId,
      })),
    };
  }
  return { ok: true, graph: parsed.data };
}

export type SaveDraftResult = Result<
  { revision: number; updatedAt: Date | null },
  Failure<'invalid_graph' | 'conflict' | 'not_found'>
>;

/** The 400 for a draft the canvas cannot have meant: names the step or connection, lists every issue. */
function invalidGraph(issues: FormattedIssue[]) {
  const first = issues[0]!;
  const where = first.nodeId
    ? `Step “${first.nodeId}”: `
    : first.edgeId
      ? `Connection “${first.edgeId}”: `
      : '';
  return err('invalid_graph', `${where}${first.message}`, {
    field: `graph.${first.path}`,
    details: { issues },
  });
}

/** Compare-and-set save: a save based on an old revision changes nothing and reports the conflict. */
export async function saveDraft(
  actor: Actor,
  journeyId: number,
  input: { revision: number; graph: unknown },
): Promise<SaveDraftResult> {
  const parsed = parseDraftGraph(input.graph);
  if (!parsed.ok) return invalidGraph(parsed.issues);
  return await writeTransaction(async (db): Promise<SaveDraftResult> => {
    const journey = await findJourneyIn(db, journeyId);
    const draft = await findDraftIn(db, journeyId);
    if (!journey || !draft) return NOT_FOUND;
    // A 400 like any other unsaveable draft (a 409 would tell the canvas someone else saved).
    if (journey.status === 'archived')
      return invalidGraph([{ path: 'status', message: 'An archived journey cannot be edited' }]);
    const saved = await saveDraftIn(db, {
      journeyId,
      expectedRevision: input.revision,
      graph: parsed.graph,
      authorId: actor.id,
    });
    if (!saved) {
      return err(
        'conflict',
        'Someone else saved this draft in the meantime. Reload to see their changes; yours were not saved.',
        { details: { currentRevision: draft.revision } },
      );
    }
    await updateJourney(db, journeyId, {}, actor.id);
    return ok({ revision: saved.revision, updatedAt: saved.updatedAt });
  });
}

export type RestoreResult = Result<{ revision: number }, JourneyNotFound>;

/** Copies a published version's graph into the draft (the version itself stays as it was). */
export async function restoreVersion(
  actor: Actor,
  journeyId: number,
  versionId: number,
): Promise<RestoreResult> {
  return await writeTransaction(async (db): Promise<RestoreResult> => {
    const version = await findVersionIn(db, journeyId, versionId);
    if (!version || version.isDraft) return NOT_FOUND;
    const draft = await replaceDraft(db, { journeyId, graph: version.graph, authorId: actor.id });
    if (!draft) return NOT_FOUND;
    await updateJourney(db, journeyId, {}, actor.id);
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'journey.restore',
      targetType: 'journey',
      targetId: journeyId,
      details: { versionId, number: version.number },
    });
    return ok({ revision: draft.revision });
  });
}

export type StatusAction = 'pause' | 'resume' | 'archive' | 'unarchive';

/** Records who changed a journey's status (the executor made the change itself). */
export async function recordStatusChange(
  actor: Actor,
  journeyId: number,
  action: StatusAction,
): Promise<JourneyRow | undefined> {
  return await writeTransaction(async (db) => {
    const updated = await updateJourney(db, journeyId, {}, actor.id);
    if (updated) {
      await insertAudit(db, {
        actorType: 'user',
        actorId: actor.id,
        action: `journey.${action}`,
        targetType: 'journey',
        targetId: journeyId,
        details: { status: updated.status },
      });
    }
    return updated;
  });
}

/** validation_failed carries the `errors` that stop the draft from running. */
export type TestRunResult = Result<
  { runId: number; steps: { nodeId: string; stepType: string; outcome: string; reason: string; at: Date }[] },
  Failure<'validation_failed' | 'not_found'>
>;
