import { defineStep } from '../define';
import { referenceDeclaration } from './definition';
import { referenceHandler } from './handler';

export const referenceStep = defineStep(referenceDeclaration, referenceHandler);
