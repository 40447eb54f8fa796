'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import {
  isBlankJourney,
  validateJourney,
  type Issue,
  type JourneyDraft,
  type ValidationContext,
} from '@/lib/journey';
import type { AnnotationStore, NodeAnnotation } from '../annotations';
import type { PurposeOption } from '../inspector/schema-form';

export type LiveStats = {
  atNode: Record<string, number>;
  leftBy: Record<string, Record<string, number>>;
};

/**
 * Validation of the committed graph (never per drag frame), the server's findings after a refused
 * publish, and a live journey's counts, all written into the canvas annotations.
 */
export function useEditorIssues({
  journeyId,
  hasLiveVersion,
  committedGraph,
  purposes,
  serverIssues,
  annotations,
}: {
  journeyId: number;
  hasLiveVersion: boolean;
  committedGraph: JourneyDraft;
  purposes: PurposeOption[];
  serverIssues: { graph: JourneyDraft; errors: Issue[]; warnings: Issue[] } | null;
  annotations: AnnotationStore;
}) {
  const validationContext = useMemo<ValidationContext>(
    () => ({
      purposes: purposes.map((p) => ({
        key: p.key,
        legalBasis: p.legalBasis,
        themes: p.themes.map((t) => t.key),
        recipients: p.recipients.map((r) => r.key),
      })),
    }),
    [purposes],
  );
  const validation = useMemo(
    () => validateJourney(committedGraph, validationContext),
    [committedGraph, validationContext],
  );
  // After a refused publish the server's findings are shown until the graph changes again. A blank
  // journey (the entry step alone) is an empty state, not an error: its unconnected entry counts
  // only once there is another step, or when publishing.
  const shownIssues = useMemo(() => {
    if (serverIssues && serverIssues.graph === committedGraph) return serverIssues;
    if (isBlankJourney(committedGraph))
      return {
        errors: validation.errors.filter((issue) => issue.code !== 'unconnected-output'),
        warnings: validation.warnings,
      };
    return { errors: validation.errors, warnings: validation.warnings };
  }, [serverIssues, committedGraph, validation]);

  const liveStats = useQuery({
    queryKey: ['journey-live', journeyId],
    queryFn: async () => {
      const response = await fetch(`/api/journeys/${journeyId}/live`);
      if (!response.ok) throw new Error(`live stats ${response.status}`);
      return (await response.json()) as LiveStats;
    },
    enabled: hasLiveVersion,
    refetchInterval: 5_000,
  });

  useEffect(() => {
    const next = new Map<string, NodeAnnotation>();
    const ensure = (id: string) => {
      let annotation = next.get(id);
      if (!annotation) next.set(id, (annotation = { errors: [], warnings: [] }));
      return annotation;
    };
    for (const issue of shownIssues.errors) if (issue.nodeId) ensure(issue.nodeId).errors.push(issue.message);
    for (const issue of shownIssues.warnings)
      if (issue.nodeId) ensure(issue.nodeId).warnings.push(issue.message);
    if (liveStats.data) {
      for (const node of committedGraph.nodes) {
        const annotation = ensure(node.id);
        annotation.liveCount = liveStats.data.atNode[node.id] ?? 0;
        annotation.leftBy = liveStats.data.leftBy[node.id];
      }
    }
    annotations.replaceAll(next);
  }, [shownIssues, liveStats.data, committedGraph, annotations]);

  return { shownIssues, liveStats: liveStats.data };
}
