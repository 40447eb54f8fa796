import { advertisingBlockStep } from './advertising-block';
import { conditionStep } from './condition';
import { consentGateStep } from './consent-gate';
import { doubleOptInStep } from './double-opt-in';
import { entryStep } from './entry';
import { exitStep } from './exit';
import { forgetStep } from './forget';
import { referenceStep } from './reference';
import { sendMessageStep } from './send-message';
import { setAdvertisingBlockStep } from './set-advertising-block';
import { splitStep } from './split';
import { transferStep } from './transfer';
import { waitStep } from './wait';

/**
 * Every step type, in palette order: the one list the palette, graph schema, validator and
 * executor read. A step type is its folder (definition.ts, handler.ts, index.ts); adding one is
 * that folder plus its entry here.
 */
export const STEP_UNITS = [
  entryStep,
  sendMessageStep,
  consentGateStep,
  doubleOptInStep,
  advertisingBlockStep,
  setAdvertisingBlockStep,
  referenceStep,
  transferStep,
  forgetStep,
  waitStep,
  conditionStep,
  splitStep,
  exitStep,
] as const;
