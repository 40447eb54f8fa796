import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { pooledSmtpOptions } from './transport';

type Received = { to: string; secure: boolean };
const servers: SMTPServer[] = [];

/** A real SMTP server on loopback; smtp-server's own self-signed certificate serves TLS. */
async function startServer(options: SMTPServerOptions = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    ...options,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo[0]!.address, secure: session.secure });
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { received, port: (server.server.address() as AddressInfo).port };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

async function sendThrough(url: string, count: number) {
  const transporter = nodemailer.createTransport(pooledSmtpOptions(url, 3));
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        transporter.sendMail({
          from: 'tarmo@example.test',
          to: `person${i}@example.test`,
          subject: 'Hi',
          text: 'Hello',
        }),
      ),
    );
  } finally {
    transporter.close();
  }
}

describe('pooled SMTP connections opened without Nagle', () => {
  it('deliver over plain SMTP upgraded by STARTTLS', async () => {
    const { received, port } = await startServer();
    await sendThrough(`smtp://127.0.0.1:${port}?tls.rejectUnauthorized=false`, 12);
    expect(received).toHaveLength(12);
    expect(received.every((mail) => mail.secure)).toBe(true);
  });

  it('deliver over implicit TLS (smtps://)', async () => {
    const { received, port } = await startServer({ secure: true });
    await sendThrough(`smtps://127.0.0.1:${port}?tls.rejectUnauthorized=false`, 5);
    expect(received.map((mail) => mail.to).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `person${i}@example.test`).sort(),
    );
    expect(received.every((mail) => mail.secure)).toBe(true);
  });

  it('deliver without TLS when the server offers none', async () => {
    const { received, port } = await startServer({ disabledCommands: ['STARTTLS'] });
    await sendThrough(`smtp://127.0.0.1:${port}`, 4);
    expect(received.map((mail) => mail.secure)).toEqual([false, false, false, false]);
  });

  it('fail with the connection error when nothing listens', async () => {
    const { port } = await startServer();
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    await expect(sendThrough(`smtp://127.0.0.1:${port}`, 1)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
