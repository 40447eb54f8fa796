import { defineStep } from '../define';
import { transferDeclaration } from './definition';
import { transferHandler } from './handler';

export const transferStep = defineStep(transferDeclaration, transferHandler);
