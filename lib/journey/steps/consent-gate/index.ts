import { defineStep } from '../define';
import { consentGateDeclaration } from './definition';
import { consentGateHandler } from './handler';

export const consentGateStep = defineStep(consentGateDeclaration, consentGateHandler);
