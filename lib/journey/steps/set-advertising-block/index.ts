import { defineStep } from '../define';
import { setAdvertisingBlockDeclaration } from './definition';
import { setAdvertisingBlockHandler } from './handler';

export const setAdvertisingBlockStep = defineStep(setAdvertisingBlockDeclaration, setAdvertisingBlockHandler);
