import { describe, expect, it } from 'vitest';
import { draft, link, purposeCatalog, step } from '@/tests/fixtures/journey';
import { validateJourney } from '../../validate';
import { connectionAllowed } from '../../helpers';
import { outputsOf, summarizeStepConfig } from '../index';

const send = (id: string) =>
  step(id, 'send-message', { purpose: 'offers', content: undefined, subject: 'Hi', body: 'Hello' });

describe('split step', () => {
  it('has one output per branch, from its config', () => {
    expect(outputsOf('split').map((o) => o.label)).toEqual(['A', 'B']);
    expect(outputsOf('split', { weights: { branches: [1, 1, 1, 1], holdout: 5 } }).map((o) => o.id)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(summarizeStepConfig('split', { weights: { branches: [45, 45], holdout: 10 } })).toBe(
      'Split A 45 % · B 45 % · holdout 10 %',
    );
    expect(summarizeStepConfig('split', { weights: { branches: [45, 45], holdout: 0 }, winner: 'b' })).toBe(
      'Everyone to B (the winner)',
    );
  });

  it('checks consent on every branch, and every branch must be connected', () => {
    const graph = draft(
      [
        step('entry', 'entry', { mode: 'event', eventName: 'signed-up' }),
        step('split', 'split', { weights: { branches: [40, 40, 20], holdout: 0 } }),
        step('gate', 'consent-gate', { purpose: 'offers' }),
        send('send-a'),
        send('send-b'),
        step('exit', 'exit'),
      ],
      [
        link('entry', 'next', 'split'),
        link('split', 'a', 'gate'),
        link('gate', 'granted', 'send-a'),
        link('split', 'b', 'send-b'),
        link('send-a', 'sent', 'exit'),
        link('send-b', 'sent', 'exit'),
      ],
    );
    const result = validateJourney(graph, purposeCatalog);
    // Branch B reaches its send without a gate; branch A passes one.
    expect(
      result.warnings.filter((w) => w.code === 'send-without-consent-gate').map((w) => w.nodeId),
    ).toEqual(['send-b']);
    expect(result.errors.filter((e) => e.code === 'unconnected-output').map((e) => e.message)).toEqual([
      expect.stringContaining('“C” output'),
    ]);
    // A connection from a branch the split does not have is refused.
    expect(connectionAllowed(graph, { source: 'split', sourceHandle: 'd', target: 'exit' })).toMatchObject({
      ok: false,
      code: 'unknown-handle',
    });
  });

  it('refuses weights that make no split', () => {
    const errors = (config: unknown) =>
      validateJourney(
        draft(
          [step('entry', 'entry'), { ...step('split', 'split'), config }, step('exit', 'exit')],
          [link('entry', 'next', 'split'), link('split', 'a', 'exit'), link('split', 'b', 'exit')],
        ),
        purposeCatalog,
      ).errors.filter((e) => e.code === 'invalid-config');
    expect(errors({ weights: { branches: [50, 50], holdout: 0 } })).toEqual([]);
    expect(errors({ weights: { branches: [50], holdout: 0 } })).not.toEqual([]);
    expect(errors({ weights: { branches: [0, 0], holdout: 10 } })).not.toEqual([]);
    expect(errors({ weights: { branches: [50, 50], holdout: 0 }, winner: 'c' })).not.toEqual([]);
  });
});
