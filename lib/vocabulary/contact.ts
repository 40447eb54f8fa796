// Contact blocks: what a block covers and why it was set. Pure constants, no imports.

export const BLOCK_SCOPES = ['all', 'channel', 'address', 'theme'] as const;
export type BlockScope = (typeof BLOCK_SCOPES)[number];

export const CHANNELS = ['email', 'sms', 'post', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const BLOCK_REASONS = ['customer-request', 'complaint', 'bounce', 'legal'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];
