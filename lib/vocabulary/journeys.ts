// Journeys and enrollments. Pure constants, no imports.

export const JOURNEY_STATUSES = ['draft', 'live', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const ENROLLMENT_STATES = ['active', 'waiting', 'completed', 'exited', 'failed', 'cancelled'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export const TERMINAL_ENROLLMENT_STATES: readonly EnrollmentState[] = ['completed', 'exited', 'cancelled'];

/** A publish's rollout: move running customers to the new version, then enroll the target group. */
export const ROLLOUT_PHASES = ['move', 'enroll'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];
