import { defineStep } from '../define';
import { waitDeclaration } from './definition';
import { waitHandler } from './handler';

export const waitStep = defineStep(waitDeclaration, waitHandler);
