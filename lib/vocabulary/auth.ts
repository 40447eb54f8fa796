// Staff and API vocabularies. Pure constants (no imports): db/ and lib/ both depend on them.

export const ROLES = ['marketer', 'compliance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const API_SCOPES = ['read', 'write', 'privacy'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'customer', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
