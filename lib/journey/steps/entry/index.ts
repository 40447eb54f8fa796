import { defineStep } from '../define';
import { entryDeclaration } from './definition';
import { entryHandler } from './handler';

export const entryStep = defineStep(entryDeclaration, entryHandler);
