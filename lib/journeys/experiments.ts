import { getDb, writeTransaction } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { splitOutcomeCounts } from '@/db/store/experiments';
import {
  findDraftIn,
  findJourneyIn,
  findVersionIn,
  insertPublishedVersion,
  replaceDraft,
  updateJourney,
} from '@/db/store/journeys';
import { onJourneyPublished, recordRollout } from '@/lib/executor/rollout';
import {
  HOLDOUT,
  HOLDOUT_OUTCOME,
  SPLIT_BRANCHES,
  SPLIT_OUTCOMES,
  armLabel,
  entryNodes,
  getStep,
  journeyGraphSchema,
  shareOf,
  type JourneyDraft,
  type SplitArm,
  type SplitBranch,
  type SplitConfig,
} from '@/lib/journey';
import { err, ok, type Failure, type Result } from '@/lib/result';
import { compareArms, type Comparison } from './experiment-stats';
import type { Actor } from './service';

/**
 * Experiments in the live view: each split step of the live version with its numbers per arm and
 * how each branch compares with the holdout (or, without one, with branch A); and declaring a
 * winner, which publishes a version whose split sends everyone to that branch.
 */

export interface ArmResult {
  arm: SplitArm;
  label: string;
  /** The arm's share under the live weights ("30 %"). */
  share: string;
  customers: number;
  messagesSent: number;
  conversions: number;
  /** Conversions per customer, null before anyone was assigned. */
  rate: number | null;
  baseline: boolean;
  /** Against the baseline; absent for the baseline itself. */
  comparison?: Comparison;
}

export interface ExperimentResult {
  nodeId: string;
  title: string;
  /** The journey's goal events (its entry step's goals) that count as conversions. */
  goalNames: string[];
  baselineLabel: string;
  winner?: SplitBranch;
  arms: ArmResult[];
}

interface SplitNode {
  id: string;
  title?: string;
  config: SplitConfig;
}

function splitNodesOf(graph: JourneyDraft): SplitNode[] {
  const nodes: SplitNode[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'split') continue;
    const parsed = getStep('split').configSchema.safeParse(node.config);
    if (parsed.success) nodes.push({ id: node.id, title: node.title, config: parsed.data });
  }
  return nodes;
}

function goalNamesOf(graph: JourneyDraft): string[] {
  const names = new Set<string>();
  for (const entry of entryNodes(graph)) {
    const goals = (entry.config as { goals?: { eventName?: unknown }[] } | undefined)?.goals ?? [];
    for (const goal of goals) if (typeof goal.eventName === 'string') names.add(goal.eventName);
  }
  return [...names];
}

/** The experiments of a journey's live graph, read now. */
export async function experimentResults(journeyId: number, graph: JourneyDraft): Promise<ExperimentResult[]> {
  const goalNames = goalNamesOf(graph);
  const results: ExperimentResult[] = [];
  for (const node of splitNodesOf(graph)) {
    const counts = new Map(
      (
        await splitOutcomeCounts(getDb(), {
          journeyId,
          nodeId: node.id,
          outcomes: SPLIT_OUTCOMES,
          goalNames,
        })
      ).map((row) => [row.outcome, row]),
    );
    const { weights } = node.config;
    const holdoutCounts = counts.get(HOLDOUT_OUTCOME);
    // A holdout that once had customers stays the baseline even after its weight went to 0.
    const hasHoldout = weights.holdout > 0 || (holdoutCounts?.customers ?? 0) > 0;
    const arms: SplitArm[] = [
      ...SPLIT_BRANCHES.slice(0, weights.branches.length),
      ...(hasHoldout ? [HOLDOUT as SplitArm] : []),
    ];
    const baselineArm: SplitArm = hasHoldout ? HOLDOUT : 'a';
    const countsOf = (arm: SplitArm) => counts.get(arm === HOLDOUT ? HOLDOUT_OUTCOME : arm);
    const baselineCounts = {
      label: baselineArm === HOLDOUT ? 'the holdout' : armLabel(baselineArm),
      customers: countsOf(baselineArm)?.customers ?? 0,
      conversions: countsOf(baselineArm)?.conversions ?? 0,
    };
    results.push({
      nodeId: node.id,
      title: node.title?.trim() || 'Split test',
      goalNames,
      baselineLabel: armLabel(baselineArm),
      winner: node.config.winner,
      arms: arms.map((arm) => {
        const row = countsOf(arm);
        const customers = row?.customers ?? 0;
        const conversions = row?.conversions ?? 0;
        const baseline = arm === baselineArm;
        return {
          arm,
          label: armLabel(arm),
          share: shareOf(arm, weights),
          customers,
          messagesSent: row?.messagesSent ?? 0,
          conversions,
          rate: customers > 0 ? conversions / customers : null,
          baseline,
          comparison:
            baseline || goalNames.length === 0
              ? undefined
              : compareArms({ label: armLabel(arm), customers, conversions }, baselineCounts),
        };
      }),
    });
  }
  return results;
}

export type DeclareWinnerResult = Result<
  { kind: 'published' | 'unchanged'; versionId: number; number: number },
  Failure<'not_found' | 'invalid_state' | 'invalid_field'>
>;

function withWinner(graph: JourneyDraft, nodeId: string, branch: SplitBranch): JourneyDraft | undefined {
  let found = false;
  const nodes = graph.nodes.map((node) => {
    if (node.id !== nodeId || node.type !== 'split') return node;
    found = true;
    return { ...node, config: { ...(node.config as object), winner: branch } };
  });
  return found ? { ...graph, nodes } : undefined;
}

/**
 * Publishes a new version of the live graph in which this split sends everyone to `branch`
 * (customers already on their way are moved to it); the draft gets the same winner, so the next
 * publish keeps it.
 */
export async function declareWinner(
  actor: Actor,
  journeyId: number,
  nodeId: string,
  branch: SplitBranch,
): Promise<DeclareWinnerResult> {
  const result = await writeTransaction(async (db): Promise<DeclareWinnerResult> => {
    const journey = await findJourneyIn(db, journeyId);
    if (!journey) return err('not_found', 'No such journey');
    if (!journey.liveVersionId || (journey.status !== 'live' && journey.status !== 'paused'))
      return err('invalid_state', 'Only a published, running journey can have a winner declared');
    const live = await findVersionIn(db, journeyId, journey.liveVersionId);
    const liveGraph = live?.graph as JourneyDraft | undefined;
    const split = liveGraph ? splitNodesOf(liveGraph).find((node) => node.id === nodeId) : undefined;
    if (!live || !liveGraph || !split) return err('not_found', 'No such split step in the live version');
    if (SPLIT_BRANCHES.indexOf(branch) >= split.config.weights.branches.length)
      return err('invalid_field', `The split has no branch ${armLabel(branch)}`, { field: 'branch' });
    if (split.config.winner === branch)
      return ok({ kind: 'unchanged' as const, versionId: live.id, number: live.number ?? 0 });

    const parsed = journeyGraphSchema.safeParse(withWinner(liveGraph, nodeId, branch));
    if (!parsed.success) return err('invalid_state', 'The live version cannot take a winner');
    const title = split.title?.trim() || 'Split test';
    const changeSummary = `Declared branch ${armLabel(branch)} of “${title}” the winner`;
    const version = await insertPublishedVersion(db, {
      journeyId,
      graph: parsed.data,
      authorId: actor.id,
      changeSummary,
    });
    await updateJourney(db, journeyId, { liveVersionId: version.id, status: journey.status }, actor.id);
    await recordRollout(db, journeyId, version.id, { moveRunning: true });
    const draft = await findDraftIn(db, journeyId);
    const draftGraph = draft ? withWinner(draft.graph as JourneyDraft, nodeId, branch) : undefined;
    if (draftGraph) await replaceDraft(db, { journeyId, graph: draftGraph, authorId: actor.id });
    await insertAudit(db, {
      actorType: 'user',
      actorId: actor.id,
      action: 'journey.declare-winner',
      targetType: 'journey',
      targetId: journeyId,
      details: { versionId: version.id, number: version.number, nodeId, branch },
    });
    return ok({ kind: 'published' as const, versionId: version.id, number: version.number ?? 0 });
  });
  if (result.ok && result.value.kind === 'published')
    await onJourneyPublished(journeyId, result.value.versionId, { moveRunning: true });
  return result;
}

/** The experiments of a journey's live version; undefined for an unknown journey. */
export async function liveExperimentResults(journeyId: number): Promise<ExperimentResult[] | undefined> {
  const db = getDb();
  const journey = await findJourneyIn(db, journeyId);
  if (!journey) return undefined;
  if (!journey.liveVersionId) return [];
  const version = await findVersionIn(db, journeyId, journey.liveVersionId);
  return version ? await experimentResults(journeyId, version.graph as JourneyDraft) : [];
}
