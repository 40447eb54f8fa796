import { defineStep } from '../define';
import { splitDeclaration } from './definition';
import { splitHandler } from './handler';

export const splitStep = defineStep(splitDeclaration, splitHandler);
