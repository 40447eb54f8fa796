import type { PastEnrollment } from '@/db/store/enrollment-records';
import type { ConfigOf, JourneyGraph, NodeOf } from '@/lib/journey';
import { DAY_MS } from './types';

export function entryNodeOf(graph: JourneyGraph): NodeOf<'entry'> | undefined {
  return graph.nodes.find((node): node is NodeOf<'entry'> => node.type === 'entry');
}

export type ReentryDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a customer may enter (again). Never two running enrollments in one journey; after
 * that the policy decides, counting the period from the previous entry.
 */
export function reentryAllowed(
  config: ConfigOf<'entry'>,
  previous: PastEnrollment | undefined,
  now: number,
): ReentryDecision {
  if (!previous) return { allowed: true };
  if (previous.state === 'active' || previous.state === 'waiting' || previous.state === 'failed') {
    return { allowed: false, reason: 'already in this journey' };
  }
  switch (config.reentry.policy) {
    case 'always':
      return { allowed: true };
    case 'never':
      return { allowed: false, reason: 'already went through this journey once' };
    case 'after-period': {
      const days = config.reentry.periodDays ?? 0;
      return now - previous.enteredAt >= days * DAY_MS
        ? { allowed: true }
        : { allowed: false, reason: `entered less than ${days} days ago` };
    }
  }
}
