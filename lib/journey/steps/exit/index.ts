import { defineStep } from '../define';
import { exitDeclaration } from './definition';
import { exitHandler } from './handler';

export const exitStep = defineStep(exitDeclaration, exitHandler);
