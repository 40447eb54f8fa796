import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CENSOR,
  createLogger,
  noteRequestActor,
  REDACTED_KEYS,
  runWithRequestContext,
  scrubText,
} from './log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(stream, 'web'), lines, raw: () => raw };
}

const ADDRESS = 'jane.doe@example.org';
const NAME = 'Jane Doe';
const TOKEN = 'tarmo_abcdefghijklmnopqrstuvwxyz012345';

describe('structured logs', () => {
  it('carry level, time, role and the request context', () => {
    const { logger, lines } = capture();
    runWithRequestContext({ requestId: 'req-1', route: '/api/v1/customers' }, () => {
      noteRequestActor({ apiKeyId: 7 });
      logger.info({ status: 201 }, 'request');
    });
    expect(lines[0]).toMatchObject({
      level: 'info',
      role: 'web',
      requestId: 'req-1',
      route: '/api/v1/customers',
      apiKeyId: 7,
      status: 201,
      msg: 'request',
    });
    expect(typeof lines[0].time).toBe('string');
  });

  it.each(REDACTED_KEYS.map((key) => [key]))('censor %s at any of three levels', (key) => {
    const { logger, lines } = capture();
    logger.info({
      [key]: 'secret-value',
      outer: { [key]: 'secret-value', inner: { [key]: 'secret-value' } },
    });
    expect(JSON.stringify(lines[0])).not.toContain('secret-value');
    expect(lines[0][key]).toBe(CENSOR);
  });

  it('never write a customer address, name or key, wherever it is hidden', () => {
    const { logger, raw } = capture();
    const customer = { email: ADDRESS, name: NAME, attributes: { city: 'Espoo' } };
    logger.info({ customer, body: JSON.stringify(customer), headers: { authorization: `Bearer ${TOKEN}` } });
    logger.warn(`delivery to ${ADDRESS} failed`);
    logger.error({ err: new Error(`550 mailbox ${ADDRESS} unknown; key ${TOKEN}`) }, 'send failed');
    logger.info({ detail: [`to: ${ADDRESS}`, { note: `Authorization: Bearer ${TOKEN}` }] }, 'list');
    const text = raw();
    for (const secret of [ADDRESS, NAME, TOKEN, 'Espoo', 'abcdefghijklmnop'])
      expect(text).not.toContain(secret);
    expect(text).toContain('550 mailbox [email] unknown');
  });

  it('scrubText removes addresses, bearer credentials and API keys', () => {
    expect(scrubText(`to <${ADDRESS}> with Bearer abc.def and ${TOKEN}`)).toBe(
      'to <[email]> with Bearer [redacted] and tarmo_[redacted]',
    );
  });
});
