import { STEP_TYPES, stepDefinitions, type StepEffect, type StepType } from '@/lib/journey';

/**
 * How the engine runs each step type, derived from the effects its unit declares
 * (lib/journey/steps/define.ts, StepEffect) rather than kept in lists by hand.
 */
function typesWith(test: (effects: readonly StepEffect[]) => boolean): ReadonlySet<StepType> {
  return new Set(STEP_TYPES.filter((type) => test(stepDefinitions[type].effects)));
}

/** Writes rows itself: runs in a savepoint, so a throwing handler leaves nothing half-written. */
export const RUNS_IN_SAVEPOINT = typesWith((effects) => effects.includes('writes-records'));

/**
 * Hands the engine only buffered intents (mail): no savepoint needed (the savepoint pair cost more
 * than such a step, measured); if it throws, what it buffered is dropped instead.
 */
export const BUFFERS_INTENTS = typesWith(
  (effects) => effects.includes('queues-mail') && !effects.includes('writes-records'),
);

/**
 * Writes rows or reads step events and other enrollments: the batch's buffered step events,
 * positions and mail are written before it runs, so it sees them and its writes follow theirs.
 */
export const FLUSHES_BUFFERED_FIRST = typesWith(
  (effects) => effects.includes('writes-records') || effects.includes('reads-history'),
);

/** May change consent, blocks or the customer: decisions and batch reads made before it are dropped. */
export const CHANGES_CONTACT_FACTS = typesWith((effects) => effects.includes('changes-contact-facts'));
