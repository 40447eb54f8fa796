// Delivery policy and deliverability. Pure constants, no imports.

/** What a provider notification or a DSN says about one recipient. */
export const DELIVERABILITY_KINDS = ['hard-bounce', 'soft-bounce', 'complaint'] as const;
export type DeliverabilityKind = (typeof DELIVERABILITY_KINDS)[number];

/** Providers whose notification shapes POST /api/v1/deliverability/{provider} reads. */
export const DELIVERABILITY_PROVIDERS = ['generic', 'ses', 'postmark'] as const;
export type DeliverabilityProvider = (typeof DELIVERABILITY_PROVIDERS)[number];

/** What a send step does with a mail the workspace frequency cap stops. */
export const CAP_ACTIONS = ['hold', 'skip'] as const;
export type CapAction = (typeof CAP_ACTIONS)[number];
