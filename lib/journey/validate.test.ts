import { describe, expect, it } from 'vitest';
import { sampleSimpleJourney } from './samples';
import { draft, link, purposeCatalog, step } from '@/tests/fixtures/journey';
import { validateJourney } from './validate';

const send = (id: string, purpose = 'newsletter', extra: object = {}) =>
  step(id, 'send-message', {
    purpose,
    content: undefined,
    subject: 'Hello',
    body: 'Hi {{firstName}}',
    ...extra,
  });
const gate = (id: string, purpose = 'newsletter', extra: object = {}) =>
  step(id, 'consent-gate', { purpose, ...extra });
const entry = (id = 'entry') => step(id, 'entry', { mode: 'event', eventName: 'signed-up' });

const codes = (issues: { code: string }[]) => issues.map((issue) => issue.code);

describe('validateJourney', () => {
  it('passes a well-formed journey with no warnings', () => {
    expect(validateJourney(sampleSimpleJourney('newsletter'), purposeCatalog)).toEqual({
      ok: true,
      errors: [],
      warnings: [],
    });
  });

  it('flags a journey with no entry', () => {
    const result = validateJourney(draft([step('exit', 'exit')]));
    expect(result.ok).toBe(false);
    expect(codes(result.errors)).toEqual(['no-entry']);
  });

  it('flags a second entry', () => {
    const result = validateJourney(
      draft(
        [entry('a'), entry('b'), step('exit', 'exit')],
        [link('a', 'next', 'exit'), link('b', 'next', 'exit')],
      ),
    );
    expect(result.errors).toEqual([expect.objectContaining({ code: 'multiple-entries', nodeId: 'b' })]);
  });

  it('flags steps that cannot be reached from the entry', () => {
    const result = validateJourney(
      draft([entry(), step('exit', 'exit'), step('lost', 'exit')], [link('entry', 'next', 'exit')]),
    );
    expect(result.errors).toEqual([expect.objectContaining({ code: 'unreachable', nodeId: 'lost' })]);
  });

  it('does not count a connection from a non-existent output as a way in', () => {
    const result = validateJourney(
      draft(
        [entry(), step('exit', 'exit'), step('lost', 'exit')],
        [link('entry', 'next', 'exit'), link('entry', 'bogus', 'lost')],
      ),
    );
    expect(codes(result.errors)).toEqual(['unknown-handle', 'unreachable']);
  });

  it('flags a loop with no wait in it', () => {
    const graph = draft(
      [entry(), step('check', 'condition'), step('block', 'advertising-block'), step('exit', 'exit')],
      [
        link('entry', 'next', 'check'),
        link('check', 'yes', 'block'),
        link('block', 'clear', 'check'),
        link('check', 'no', 'exit'),
      ],
    );
    const result = validateJourney(graph);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'cycle-without-wait' })]);
    expect(result.errors[0].message).toContain('Condition “check”');
  });

  it('accepts a loop that waits, but not one that waits zero minutes', () => {
    const loop = (minutes: number) =>
      draft(
        [
          entry(),
          step('check', 'condition'),
          step('pause', 'wait', { mode: 'duration', minutes }),
          step('exit', 'exit'),
        ],
        [
          link('entry', 'next', 'check'),
          link('check', 'yes', 'pause'),
          link('pause', 'next', 'check'),
          link('check', 'no', 'exit'),
        ],
      );
    expect(validateJourney(loop(60)).ok).toBe(true);
    expect(codes(validateJourney(loop(0)).errors)).toEqual(['cycle-without-wait']);
  });

  it('flags unconnected required outputs, including a step with no connections at all', () => {
    const result = validateJourney(
      draft(
        [entry(), step('check', 'condition'), step('exit', 'exit')],
        [link('entry', 'next', 'check'), link('check', 'yes', 'exit')],
      ),
    );
    expect(result.errors).toEqual([expect.objectContaining({ code: 'unconnected-output', nodeId: 'check' })]);
    expect(result.errors[0].message).toContain('“No”');
    const dangling = validateJourney(draft([entry()]));
    expect(dangling.errors).toEqual([
      expect.objectContaining({ code: 'unconnected-output', nodeId: 'entry' }),
    ]);
  });

  it('lets optional outputs stay open', () => {
    const result = validateJourney(
      draft(
        [entry(), gate('gate'), send('send'), step('exit', 'exit')],
        [link('entry', 'next', 'gate'), link('gate', 'granted', 'send'), link('send', 'sent', 'exit')],
      ),
    );
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('flags a send-message with no purpose once, in plain words', () => {
    const result = validateJourney(
      draft(
        [entry(), send('send', ''), step('exit', 'exit')],
        [link('entry', 'next', 'send'), link('send', 'sent', 'exit')],
      ),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'missing-purpose', nodeId: 'send', field: 'purpose' }),
    ]);
  });

  it('flags a transfer to a recipient with no purpose, but not a transfer to the customer', () => {
    const graph = (config: object) =>
      draft(
        [entry(), step('t', 'transfer', config), step('exit', 'exit')],
        [link('entry', 'next', 't'), link('t', 'delivered', 'exit')],
      );
    expect(codes(validateJourney(graph({ to: 'recipient', recipient: 'Acme Ltd' })).errors)).toEqual([
      'missing-purpose',
    ]);
    expect(validateJourney(graph({ to: 'customer' })).ok).toBe(true);
  });

  it('flags a send-message with no upstream consent gate for its purpose', () => {
    const result = validateJourney(
      draft(
        [entry(), gate('gate', 'offers'), send('send', 'newsletter'), step('exit', 'exit')],
        [link('entry', 'next', 'gate'), link('gate', 'granted', 'send'), link('send', 'sent', 'exit')],
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'send-without-consent-gate', nodeId: 'send' }),
    ]);
  });

  it('warns when only some paths to a send pass a consent gate', () => {
    const result = validateJourney(
      draft(
        [entry(), step('vip', 'condition'), gate('gate'), send('send'), step('exit', 'exit')],
        [
          link('entry', 'next', 'vip'),
          link('vip', 'yes', 'gate'),
          link('vip', 'no', 'send'),
          link('gate', 'granted', 'send'),
          link('send', 'sent', 'exit'),
        ],
      ),
    );
    expect(codes(result.warnings)).toEqual(['send-without-consent-gate']);
  });

  it('does not count a gate passed through its not-granted output', () => {
    const result = validateJourney(
      draft(
        [entry(), gate('gate'), send('send'), step('exit', 'exit')],
        [
          link('entry', 'next', 'gate'),
          link('gate', 'granted', 'exit'),
          link('gate', 'not-granted', 'send'),
          link('send', 'sent', 'exit'),
        ],
      ),
    );
    expect(codes(result.warnings)).toEqual(['send-without-consent-gate']);
  });

  it('accepts a confirmed double opt-in for the purpose as the gate', () => {
    const result = validateJourney(
      draft(
        [
          entry(),
          step('doi', 'double-opt-in', { purpose: 'newsletter', themes: ['events'] }),
          send('send', 'newsletter', { theme: 'events' }),
          step('exit', 'exit'),
        ],
        [link('entry', 'next', 'doi'), link('doi', 'confirmed', 'send'), link('send', 'sent', 'exit')],
      ),
      purposeCatalog,
    );
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('does not count a gate for a different theme', () => {
    const result = validateJourney(
      draft(
        [
          entry(),
          gate('gate', 'newsletter', { theme: 'events' }),
          send('send', 'newsletter', { theme: 'product-news' }),
          step('exit', 'exit'),
        ],
        [link('entry', 'next', 'gate'), link('gate', 'granted', 'send'), link('send', 'sent', 'exit')],
      ),
    );
    expect(codes(result.warnings)).toEqual(['send-without-consent-gate']);
  });

  it('flags purposes and themes the workspace does not have, only when it knows its purposes', () => {
    const graph = draft(
      [
        step('entry', 'entry', {
          segment: { match: 'all', conditions: [{ kind: 'consent', purpose: 'ghost', state: 'granted' }] },
        }),
        gate('gate', 'nope'),
        gate('gate2', 'newsletter', { theme: 'sports' }),
        step('block', 'advertising-block', { scope: 'theme', theme: 'knitting' }),
        step('exit', 'exit'),
      ],
      [
        link('entry', 'next', 'gate'),
        link('gate', 'granted', 'gate2'),
        link('gate2', 'granted', 'block'),
        link('block', 'clear', 'exit'),
      ],
    );
    expect(validateJourney(graph).ok).toBe(true);
    const result = validateJourney(graph, purposeCatalog);
    expect(result.errors.map((issue) => [issue.code, issue.nodeId])).toEqual([
      ['unknown-purpose', 'entry'],
      ['unknown-purpose', 'gate'],
      ['unknown-theme', 'gate2'],
      ['unknown-theme', 'block'],
    ]);
  });

  it('flags a transfer recipient the purpose does not list', () => {
    const graph = (recipient: string) =>
      draft(
        [
          entry(),
          gate('gate', 'partner'),
          step('t', 'transfer', { to: 'recipient', recipient, purpose: 'partner' }),
          step('exit', 'exit'),
        ],
        [link('entry', 'next', 'gate'), link('gate', 'granted', 't'), link('t', 'delivered', 'exit')],
      );
    expect(validateJourney(graph('Acme Ltd'), purposeCatalog).ok).toBe(true);
    const result = validateJourney(graph('Data Broker Inc'), purposeCatalog);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'unknown-recipient', nodeId: 't' })]);
    expect(result.errors[0].message).toContain('Data Broker Inc');
  });

  it('flags an invalid config, naming the field by its label in the message', () => {
    const result = validateJourney(
      draft(
        [
          entry(),
          send('send', 'newsletter', { subject: '' }),
          { ...step('pause', 'wait'), config: { mode: 'until-local-time', time: '9am' } },
          step('exit', 'exit'),
        ],
        [link('entry', 'next', 'send'), link('send', 'sent', 'pause'), link('pause', 'next', 'exit')],
      ),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'invalid-config', nodeId: 'send', field: 'subject' }),
      expect.objectContaining({ code: 'invalid-config', nodeId: 'pause', field: 'time' }),
    ]);
    expect(result.errors[0].message).toBe('Send message “send”: Subject: Enter a subject');
    expect(result.errors[1].message).toBe('Wait “pause”: Until: Use HH:MM, 24-hour clock');
  });

  it('reports broken wiring on drafts', () => {
    const result = validateJourney(
      draft(
        [entry(), step('exit', 'exit'), step('exit', 'exit')],
        [link('entry', 'next', 'exit'), link('entry', 'next', 'ghost'), link('exit', 'next', 'entry')],
      ),
    );
    expect(codes(result.errors)).toEqual([
      'duplicate-node-id',
      'edge-unknown-node',
      'output-connected-twice',
      'edge-into-entry',
      'unknown-handle',
    ]);
  });

  // Speed lives in benchmarks (a busy CI machine moves any wall-clock limit); this proves size alone
  // neither fails nor overflows the stack.
  it('validates a 5000-step journey', () => {
    const nodes = [
      entry(),
      ...Array.from({ length: 4998 }, (_, i) => step(`w${i}`, 'wait')),
      step('exit', 'exit'),
    ];
    const edges = nodes.slice(1).map((node, i) => link(nodes[i].id, 'next', node.id));
    expect(validateJourney(draft(nodes, edges)).ok).toBe(true);
  });
});
