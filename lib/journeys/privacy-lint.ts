import { getDb } from '@/db/client';
import { listJourneyGraphs } from '@/db/store/journeys';
import {
  checkPrivacy,
  dataUseByPurpose,
  describeNode,
  journeyDraftSchema,
  type JourneyDraft,
  type ValidationContext,
} from '@/lib/journey';
import { resolveTemplates } from './message-checks';
import { validationContext } from './publish';

/** One finding of `npm run privacy:lint`. */
export type PrivacyFinding = {
  severity: 'error' | 'warning';
  /** The journey's id, or null for a finding about a purpose alone. */
  journeyId: number | null;
  journey: string;
  /** "live v3", "paused v3" or "draft"; '' for a purpose. */
  version: string;
  /** The step the finding is about, as messages name it; '' for the journey or a purpose. */
  step: string;
  rule: string;
  message: string;
};

/**
 * Runs the publish-time privacy rules (lib/journey/validate.ts PRIVACY_RULES) over the live version
 * and the draft of every journey that is not archived, against the workspace's purposes as
 * publishing sees them. A draft's findings that its live version has too are reported once, on
 * the live version. A purpose no journey uses is reported when it has no record text at all.
 */
export async function lintPrivacy(): Promise<PrivacyFinding[]> {
  const db = getDb();
  const ctx = await validationContext();
  const findings: PrivacyFinding[] = [];
  const used = new Set<string>();
  for (const journey of await listJourneyGraphs(db)) {
    const label = journey.status === 'paused' ? 'paused' : 'live';
    const graphs: { version: string; graph: unknown }[] = [];
    if (journey.live)
      graphs.push({
        version: journey.live.number === null ? label : `${label} v${journey.live.number}`,
        graph: journey.live.graph,
      });
    if (journey.draft) graphs.push({ version: 'draft', graph: journey.draft.graph });
    const seen = new Set<string>();
    for (const { version, graph } of graphs) {
      const parsed = journeyDraftSchema.safeParse(graph);
      const base = { journeyId: journey.id, journey: journey.name, version };
      if (!parsed.success) {
        findings.push({
          ...base,
          severity: 'error',
          step: '',
          rule: 'malformed',
          message: 'The journey graph cannot be read.',
        });
        continue;
      }
      // A draft's template is checked as publishing would copy it.
      const resolved = version === 'draft' ? (await resolveTemplates(db, parsed.data)).graph : parsed.data;
      for (const use of dataUseByPurpose(resolved)) used.add(use.purpose);
      for (const finding of lintGraph(resolved, ctx)) {
        const key = `${finding.rule}|${finding.step}|${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ ...base, ...finding });
      }
    }
  }
  for (const purpose of ctx.purposes)
    if (!used.has(purpose.key) && purpose.record?.trim() === '')
      findings.push({
        severity: 'warning',
        journeyId: null,
        journey: '',
        version: '',
        step: '',
        rule: 'purpose-record-missing',
        message: `The purpose “${purpose.key}” has no description or notice, so its record of processing says nothing about it.`,
      });
  return findings;
}

function lintGraph(graph: JourneyDraft, ctx: ValidationContext) {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  return checkPrivacy(graph, ctx).map((finding) => {
    const node = finding.nodeId ? nodes.get(finding.nodeId) : undefined;
    return {
      severity: finding.severity,
      step: node ? describeNode(node) : '',
      rule: finding.code,
      message: finding.message,
    };
  });
}
