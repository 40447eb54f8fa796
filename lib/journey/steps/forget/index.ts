import { defineStep } from '../define';
import { forgetDeclaration } from './definition';
import { forgetHandler } from './handler';

export const forgetStep = defineStep(forgetDeclaration, forgetHandler);
