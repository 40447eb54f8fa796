import { compileDataPackage } from '../privacy-port';
import type { StepHandler } from '../types';

/** Compiles the package (Art. 15/20) to prove it can be built now; the transfer step delivers it. */
export const referenceHandler: StepHandler<'reference'> = async (ctx) => {
  const dataPackage = await compileDataPackage(ctx.db, ctx.customer.id);
  const sections = Object.keys(dataPackage);
  return {
    outcome: 'next',
    reason: `compiled your data package (${sections.join(', ')}) as ${ctx.config.formats.join(' and ').toUpperCase()}`,
    remember: { dataPackage: { compiledAt: ctx.now.getTime(), formats: ctx.config.formats } },
  };
};
