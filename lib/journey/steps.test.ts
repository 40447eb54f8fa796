import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  getStep,
  isStepType,
  isTerminalStep,
  outputsOf,
  STEP_TYPES,
  stepDefinitions,
  summarizeStepConfig,
  type ConfigOf,
  type OutputHandleOf,
  type StepType,
} from './steps';

const parse = <T extends StepType>(type: T, config: unknown) => getStep(type).configSchema.safeParse(config);
const pathsOf = (result: { error?: z.ZodError }) => result.error?.issues.map((issue) => issue.path.join('.'));

describe('step registry', () => {
  it('lists the 12 contract step types in palette order', () => {
    expect(STEP_TYPES).toEqual([
      'entry',
      'send-message',
      'consent-gate',
      'double-opt-in',
      'advertising-block',
      'set-advertising-block',
      'reference',
      'transfer',
      'forget',
      'wait',
      'condition',
      'split',
      'exit',
    ]);
    expect(Object.keys(stepDefinitions).sort()).toEqual([...STEP_TYPES].sort());
    for (const type of STEP_TYPES) expect(getStep(type).type).toBe(type);
  });

  it('gives each step type exactly its contract output handles', () => {
    const handles = Object.fromEntries(
      STEP_TYPES.map((type) => [type, outputsOf(type).map((output) => output.id)]),
    );
    expect(handles).toEqual({
      entry: ['next'],
      'send-message': ['sent', 'skipped'],
      'consent-gate': ['granted', 'not-granted', 'timed-out'],
      'double-opt-in': ['confirmed', 'expired'],
      'advertising-block': ['blocked', 'clear'],
      'set-advertising-block': ['next'],
      reference: ['next'],
      transfer: ['delivered', 'refused'],
      forget: [],
      wait: ['next'],
      condition: ['yes', 'no'],
      split: ['a', 'b'],
      exit: [],
    });
  });

  it('treats only forget and exit as terminal, and gives every other step a required output', () => {
    expect(STEP_TYPES.filter(isTerminalStep)).toEqual(['forget', 'exit']);
    for (const type of STEP_TYPES.filter((type) => !isTerminalStep(type))) {
      expect(outputsOf(type).some((output) => output.required)).toBe(true);
    }
  });

  it('has a label, description, icon and category for the palette', () => {
    for (const type of STEP_TYPES) {
      const step = getStep(type);
      expect(step.label.length).toBeGreaterThan(0);
      expect(step.description.length).toBeGreaterThan(0);
      expect(step.icon.length).toBeGreaterThan(0);
      expect(['flow', 'messaging', 'privacy']).toContain(step.category);
    }
  });

  it('recognises step type ids', () => {
    expect(isStepType('wait')).toBe(true);
    expect(isStepType('sleep')).toBe(false);
    expect(isStepType(3)).toBe(false);
  });

  it('exposes precise config and handle types', () => {
    expectTypeOf<OutputHandleOf<'condition'>>().toEqualTypeOf<'yes' | 'no'>();
    expectTypeOf<OutputHandleOf<'forget'>>().toEqualTypeOf<never>();
    expectTypeOf<ConfigOf<'send-message'>['subject']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConfigOf<'double-opt-in'>['expiresHours']>().toEqualTypeOf<number>();
    expectTypeOf<ConfigOf<'wait'>>().toEqualTypeOf<
      { mode: 'duration'; minutes: number } | { mode: 'until-local-time'; time: string }
    >();
  });
});

describe('default configs', () => {
  it('are valid for every step that needs no purpose or free text', () => {
    for (const type of [
      'entry',
      'advertising-block',
      'reference',
      'transfer',
      'forget',
      'wait',
      'condition',
      'exit',
    ] as const) {
      expect(parse(type, getStep(type).defaultConfig).success, type).toBe(true);
    }
  });

  it('leave the purpose empty for the marketer to choose, never pre-filled', () => {
    expect(getStep('send-message').defaultConfig.purpose).toBe('');
    expect(getStep('consent-gate').defaultConfig.purpose).toBe('');
    expect(getStep('double-opt-in').defaultConfig.purpose).toBe('');
  });
});

describe('config schemas', () => {
  it('reject unknown fields', () => {
    expect(pathsOf(parse('exit', { reason: 'done', colour: 'red' }))).toEqual(['']);
  });

  it('need a segment in segment mode and an event name in event mode', () => {
    const base = { reentry: { policy: 'never' }, goals: [] };
    expect(pathsOf(parse('entry', { ...base, mode: 'segment' }))).toEqual(['segment']);
    expect(pathsOf(parse('entry', { ...base, mode: 'event' }))).toEqual(['eventName']);
    expect(parse('entry', { ...base, mode: 'event', eventName: 'signed-up' }).success).toBe(true);
  });

  it('need a period for re-entry after a period', () => {
    const config = { mode: 'event', eventName: 'x', reentry: { policy: 'after-period' }, goals: [] };
    expect(pathsOf(parse('entry', config))).toEqual(['reentry.periodDays']);
  });

  it('bound the send-message subject and check quiet hours as HH:MM', () => {
    const valid = { purpose: 'newsletter', channel: 'email', subject: 'Hi', body: 'Hello {{firstName}}' };
    expect(parse('send-message', valid).success).toBe(true);
    expect(pathsOf(parse('send-message', { ...valid, subject: 'x'.repeat(201) }))).toEqual(['subject']);
    expect(pathsOf(parse('send-message', { ...valid, quietHours: { start: '22:00', end: '7:00' } }))).toEqual(
      ['quietHours.end'],
    );
    expect(pathsOf(parse('send-message', { ...valid, frequencyCap: { max: 0, perDays: 7 } }))).toEqual([
      'frequencyCap.max',
    ]);
    expect(parse('send-message', { ...valid, channel: 'sms' }).success).toBe(false);
  });

  it('let a consent gate check once with a zero timeout but not wait a negative time', () => {
    expect(parse('consent-gate', { purpose: 'offers', timeoutHours: 0 }).success).toBe(true);
    expect(pathsOf(parse('consent-gate', { purpose: 'offers', timeoutHours: -1 }))).toEqual(['timeoutHours']);
  });

  it('default a double opt-in to 72 hours and cap it at 30 days', () => {
    const parsed = parse('double-opt-in', { purpose: 'newsletter', themes: [] });
    expect(parsed.data).toEqual({ purpose: 'newsletter', themes: [], expiresHours: 72 });
    expect(pathsOf(parse('double-opt-in', { purpose: 'newsletter', themes: [], expiresHours: 721 }))).toEqual(
      ['expiresHours'],
    );
  });

  it('need the channel or theme their block scope names', () => {
    expect(pathsOf(parse('advertising-block', { scope: 'channel' }))).toEqual(['channel']);
    expect(pathsOf(parse('advertising-block', { scope: 'theme' }))).toEqual(['theme']);
    expect(parse('advertising-block', { scope: 'channel', channel: 'sms' }).success).toBe(true);
    expect(
      pathsOf(parse('set-advertising-block', { scope: 'all', reason: 'complaint', evidence: '' })),
    ).toEqual(['evidence']);
  });

  it('need a recipient and purpose only for transfers to a recipient', () => {
    expect(parse('transfer', { to: 'customer' }).success).toBe(true);
    expect(pathsOf(parse('transfer', { to: 'recipient' }))).toEqual(['recipient', 'purpose']);
    expect(parse('transfer', { to: 'recipient', recipient: 'Acme', purpose: 'partner' }).success).toBe(true);
  });

  it('default reference formats to both and forget to notifying connected systems', () => {
    expect(parse('reference', {}).data).toEqual({ formats: ['json', 'csv'] });
    expect(parse('reference', { formats: ['json', 'json'] }).success).toBe(false);
    expect(parse('forget', {}).data).toEqual({ notifyConnectedSystems: true });
  });

  it('wait either a duration or until a local time', () => {
    expect(parse('wait', { mode: 'duration', minutes: 0 }).success).toBe(true);
    expect(parse('wait', { mode: 'until-local-time', time: '09:30' }).success).toBe(true);
    expect(pathsOf(parse('wait', { mode: 'until-local-time', time: '25:00' }))).toEqual(['time']);
    expect(parse('wait', { mode: 'duration', time: '09:30' }).success).toBe(false);
  });

  it('describe every field so forms and OpenAPI can label them', () => {
    for (const type of STEP_TYPES) {
      const jsonSchema = JSON.stringify(z.toJSONSchema(getStep(type).configSchema, { io: 'input' }));
      expect(jsonSchema, type).toContain('description');
    }
    const sendSchema = z.toJSONSchema(getStep('send-message').configSchema) as {
      properties: Record<string, { description?: string }>;
    };
    for (const [field, property] of Object.entries(sendSchema.properties)) {
      expect(property.description, field).toBeTruthy();
    }
  });
});

describe('summaries', () => {
  it('say in one line what a step does, using purpose names when known', () => {
    const ctx = { purposeName: (key: string) => (key === 'newsletter' ? 'Newsletter' : undefined) };
    expect(
      getStep('send-message').summarize(
        { purpose: 'newsletter', channel: 'email', subject: 'Hi', body: 'x' },
        ctx,
      ),
    ).toBe('Email “Hi” for Newsletter');
    expect(getStep('wait').summarize({ mode: 'duration', minutes: 3 * 24 * 60 })).toBe('Wait 3 days');
    expect(getStep('consent-gate').summarize({ purpose: 'offers', timeoutHours: 0 })).toBe(
      'Consent for offers; check once',
    );
    expect(getStep('transfer').summarize({ to: 'customer' })).toBe('Send data package to the customer');
  });

  it('summarize a config that is still being edited without throwing', () => {
    expect(summarizeStepConfig('send-message', { purpose: '' })).toBe('Send message (needs setup)');
    expect(summarizeStepConfig('exit', {})).toBe('Exit');
  });

  it('name the purpose a step sends for or needs', () => {
    expect(
      getStep('send-message').purposeOf?.({ purpose: 'offers', channel: 'email', subject: 's', body: 'b' }),
    ).toBe('offers');
    expect(getStep('transfer').purposeOf?.({ to: 'customer', purpose: 'partner' })).toBeUndefined();
    expect(getStep('transfer').purposeOf?.({ to: 'recipient', recipient: 'A', purpose: 'partner' })).toBe(
      'partner',
    );
  });
});
