import { defineStep } from '../define';
import { conditionDeclaration } from './definition';
import { conditionHandler } from './handler';

export const conditionStep = defineStep(conditionDeclaration, conditionHandler);
