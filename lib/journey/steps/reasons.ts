import type { StepContext } from './contract';
import { humanDate } from './time';

/**
 * The legal basis in the customer's words: "you confirmed the Newsletter on 3 May" or
 * "legitimate interests for Service updates". Used in reasons a customer reads in their export.
 */
export async function basisPhrase(
  ctx: Pick<StepContext<unknown>, 'purpose' | 'consent'>,
  purposeKey: string,
  themeKey?: string,
): Promise<string> {
  const purpose = await ctx.purpose(purposeKey);
  if (!purpose) return `purpose ${purposeKey}`;
  if (purpose.legalBasis !== 'consent') return `${purpose.legalBasis.replace(/-/g, ' ')} for ${purpose.name}`;
  const state = await ctx.consent.state(purposeKey);
  const topic = themeKey ? `${purpose.name} (${themeKey})` : `the ${purpose.name}`;
  return state.updatedAt
    ? `you confirmed ${topic} on ${humanDate(state.updatedAt)}`
    : `you consented to ${topic}`;
}
