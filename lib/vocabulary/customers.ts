// Customer lifecycle. Pure constants, no imports.

export const CUSTOMER_STATUSES = ['active', 'restricted', 'erased'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
