// Contact blocks: what a block covers and why it was set. Pure constants, no imports.

export const BLOCK_SCOPES = ['all', 'channel', 'address', 'theme', 'sale-sharing'] as const;
export type BlockScope = (typeof BLOCK_SCOPES)[number];

export const CHANNELS = ['email', 'sms', 'post', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const BLOCK_REASONS = ['customer-request', 'complaint', 'bounce', 'legal', 'gpc'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];
/** The reasons staff may give a block; 'gpc' is set only by a browser's Global Privacy Control signal. */
export const STAFF_BLOCK_REASONS = [
  'customer-request',
  'complaint',
  'bounce',
  'legal',
] as const satisfies readonly BlockReason[];
