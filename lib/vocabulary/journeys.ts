// Journeys and enrollments. Pure constants, no imports.

export const JOURNEY_STATUSES = ['draft', 'live', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const ENROLLMENT_STATES = ['active', 'waiting', 'completed', 'exited', 'failed', 'cancelled'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export const TERMINAL_ENROLLMENT_STATES: readonly EnrollmentState[] = ['completed', 'exited', 'cancelled'];
