// Data-subject requests and customer link tokens. Pure constants, no imports.

export const TOKEN_KINDS = [
  'optin',
  'unsubscribe',
  'preferences',
  'export',
  'verify-request',
  'click',
] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export const PRIVACY_REQUEST_KINDS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'portability',
] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];

export const PRIVACY_REQUEST_STATUSES = [
  'unverified',
  'open',
  'in-progress',
  'completed',
  'rejected',
] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];

export const PRIVACY_REQUEST_SOURCES = ['preference-center', 'api', 'staff', 'journey'] as const;
export type PrivacyRequestSource = (typeof PRIVACY_REQUEST_SOURCES)[number];
