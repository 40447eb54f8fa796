import type { StepContext } from './contract';
import { humanDate } from './time';

/**
 * The legal basis as a fact about the customer, in the third person: "the customer confirmed
 * Newsletter on 3 May 2026" or "legitimate interests for Service updates". Staff read it in test
 * mode and the live view; the customer reads the same record in their export. With a theme, the
 * theme's own consent is cited, never the purpose's.
 */
export async function basisPhrase(
  ctx: Pick<StepContext<unknown>, 'purpose' | 'consent'>,
  purposeKey: string,
  themeKey?: string,
): Promise<string> {
  const purpose = await ctx.purpose(purposeKey);
  if (!purpose) return `purpose ${purposeKey}`;
  if (purpose.legalBasis !== 'consent') return `${purpose.legalBasis.replace(/-/g, ' ')} for ${purpose.name}`;
  const state = await ctx.consent.state(purposeKey, themeKey);
  const topic = themeKey ? `${purpose.name}, theme “${themeKey}”` : purpose.name;
  if (state.state !== 'granted') {
    // Only a test run that assumes consent gets here.
    return `consent to ${topic} was assumed for this test (recorded: ${state.state.replace(/-/g, ' ')})`;
  }
  return state.updatedAt
    ? `the customer confirmed ${topic} on ${humanDate(state.updatedAt)}`
    : `the customer consented to ${topic}`;
}
