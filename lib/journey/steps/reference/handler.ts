import type { HandlerOf } from '../define';
import type { referenceDeclaration } from './definition';

/** Compiles the package (Art. 15/20) to prove it can be built now; the transfer step delivers it. */
export const referenceHandler: HandlerOf<typeof referenceDeclaration> = async (ctx) => {
  const sections = await ctx.effects.compileDataPackage();
  return {
    outcome: 'next',
    reason: `compiled your data package (${sections.join(', ')}) as ${ctx.config.formats.join(' and ').toUpperCase()}`,
    remember: { dataPackage: { compiledAt: ctx.now.getTime(), formats: ctx.config.formats } },
  };
};
