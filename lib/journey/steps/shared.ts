import { z } from 'zod';
import {
  BLOCK_SCOPES,
  CHANNELS as CONTACT_CHANNELS,
  type BlockScope,
  type Channel as ContactChannel,
} from '@/lib/vocabulary/contact';
import { purposeKeySchema } from '../conditions';

/** Config pieces used by more than one step type. */

export { purposeKeySchema };

export const themeKeySchema = z
  .string()
  .trim()
  .min(1, 'Choose a theme')
  .max(100)
  .describe('Theme key under the purpose, e.g. "product-news"')
  .meta({ label: 'Theme', widget: 'theme' });

export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour clock')
  .describe("Time of day, HH:MM in the customer's time zone")
  .meta({ widget: 'time', help: "In the customer's own time zone." });

export { BLOCK_SCOPES, CONTACT_CHANNELS, type BlockScope, type ContactChannel };

/** Scope fields of an advertising block, shared by the check and the set step. */
export const blockScopeShape = {
  scope: z
    .enum(BLOCK_SCOPES)
    .describe(
      '"all": any contact; "channel": one channel; "address": the address used; "theme": one theme; "sale-sharing": purposes of sale or sharing / targeted advertising (what Global Privacy Control objects to)',
    )
    .meta({
      label: 'Block covers',
      options: {
        all: 'all advertising',
        channel: 'one channel',
        address: 'the address used',
        theme: 'one theme',
        'sale-sharing': 'sale or sharing / targeted advertising',
      },
    }),
  channel: z
    .enum(CONTACT_CHANNELS)
    .optional()
    .describe('Channel, when scope is "channel"')
    .meta({
      label: 'Channel',
      options: { email: 'Email', sms: 'Text message', post: 'Post', phone: 'Phone' },
      showWhen: { field: 'scope', is: ['channel'] },
    }),
  theme: themeKeySchema
    .optional()
    .describe('Theme key, when scope is "theme"')
    .meta({ showWhen: { field: 'scope', is: ['theme'] } }),
};

interface BlockScopeFields {
  scope: BlockScope;
  channel?: ContactChannel;
  theme?: string;
}

/** Scope "channel" needs a channel and scope "theme" a theme; the fields are flat so forms stay simple. */
export function refineBlockScope(value: BlockScopeFields, ctx: z.RefinementCtx): void {
  if (value.scope === 'channel' && !value.channel) {
    ctx.addIssue({ code: 'custom', path: ['channel'], message: 'Choose the channel to check' });
  }
  if (value.scope === 'theme' && !value.theme) {
    ctx.addIssue({ code: 'custom', path: ['theme'], message: 'Choose the theme to check' });
  }
}

export function describeBlockScope(value: BlockScopeFields): string {
  switch (value.scope) {
    case 'all':
      return 'all contact';
    case 'channel':
      return `channel ${value.channel ?? '(not chosen)'}`;
    case 'address':
      return 'this address';
    case 'theme':
      return `theme ${value.theme ?? '(not chosen)'}`;
    case 'sale-sharing':
      return 'sale or sharing / targeted advertising';
  }
}
