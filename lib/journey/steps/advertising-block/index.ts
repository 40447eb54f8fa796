import { defineStep } from '../define';
import { advertisingBlockDeclaration } from './definition';
import { advertisingBlockHandler } from './handler';

export const advertisingBlockStep = defineStep(advertisingBlockDeclaration, advertisingBlockHandler);
