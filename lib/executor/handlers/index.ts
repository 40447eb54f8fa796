import type { StepHandlers } from '../types';
import { advertisingBlockHandler } from './advertising-block';
import { conditionHandler } from './condition';
import { consentGateHandler } from './consent-gate';
import { doubleOptInHandler } from './double-opt-in';
import { entryHandler } from './entry';
import { exitHandler } from './exit';
import { forgetHandler } from './forget';
import { referenceHandler } from './reference';
import { sendMessageHandler } from './send-message';
import { setAdvertisingBlockHandler } from './set-advertising-block';
import { transferHandler } from './transfer';
import { waitHandler } from './wait';

/** One handler per step type; a step type without one fails to compile. */
export const stepHandlers: StepHandlers = {
  entry: entryHandler,
  'send-message': sendMessageHandler,
  'consent-gate': consentGateHandler,
  'double-opt-in': doubleOptInHandler,
  'advertising-block': advertisingBlockHandler,
  'set-advertising-block': setAdvertisingBlockHandler,
  reference: referenceHandler,
  transfer: transferHandler,
  forget: forgetHandler,
  wait: waitHandler,
  condition: conditionHandler,
  exit: exitHandler,
};
