import { defineStep } from '../define';
import { doubleOptInDeclaration } from './definition';
import { doubleOptInHandler } from './handler';

export const doubleOptInStep = defineStep(doubleOptInDeclaration, doubleOptInHandler);
