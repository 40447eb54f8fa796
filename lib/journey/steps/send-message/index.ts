import { defineStep } from '../define';
import { sendMessageDeclaration } from './definition';
import { sendMessageHandler } from './handler';

export const sendMessageStep = defineStep(sendMessageDeclaration, sendMessageHandler);
