import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { appEnv } from '@/lib/config/env';
import { log } from '@/lib/config/log';
import { parseReport, type DeliverabilityEvent } from '@/lib/deliverability/notifications';
import { recordDeliverabilityEvents } from './deliverability';

/**
 * The optional inbound SMTP listener for operators who relay through their own mail server: it
 * receives the bounce reports sent to the envelope sender address (RFC 3464 delivery status
 * notifications, and RFC 5965 abuse reports) and records them like provider notifications
 * (lib/delivery/deliverability). Enabled with TARMO_BOUNCE_SMTP_PORT; accepts mail for any
 * recipient (point the bounce address's MX or a relay rule at it), no authentication, no relaying:
 * nothing it receives is ever sent on. Reports are capped at 1 MB.
 */

const MAX_REPORT_BYTES = 1024 * 1024;

export interface BounceListener {
  port: number;
  close: () => Promise<void>;
}

/**
 * Reads one inbound message: the bounce and complaint events it reports (none for other mail).
 * mailparser reads the message and its attachments (the original message or its headers), but
 * folds the machine-readable report parts (message/delivery-status, message/feedback-report)
 * into the text body, so those are taken from the report's own MIME parts.
 */
export async function eventsInReport(raw: Buffer): Promise<DeliverabilityEvent[]> {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const type = parsed.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (!type?.value?.toLowerCase().startsWith('multipart/report') || !type.params?.boundary) return [];
  const parts = [
    ...parsed.attachments.map((part) => ({ contentType: part.contentType, content: part.content })),
    ...reportParts(raw.toString('utf8'), type.params.boundary),
  ];
  return parseReport(parts);
}

/** The delivery-status and feedback-report parts of a multipart/report body. */
function reportParts(text: string, boundary: string): { contentType: string; content: string }[] {
  const parts: { contentType: string; content: string }[] = [];
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = chunk.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const contentType = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase() ?? '';
    if (!/^message\/(global-)?(delivery-status|feedback-report)$/.test(contentType)) continue;
    let body = chunk.slice(split).replace(/^\r?\n\r?\n/, '');
    if (/^content-transfer-encoding:\s*base64/im.test(headers))
      body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    parts.push({ contentType, content: body });
  }
  return parts;
}

export async function startBounceListener(options: { port: number; host?: string }): Promise<BounceListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_REPORT_BYTES,
    logger: false,
    banner: 'Tarmo bounce processor',
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REPORT_BYTES) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (size > MAX_REPORT_BYTES || (stream as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('552 report too large'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        eventsInReport(raw)
          .then(async (events) => {
            if (events.length > 0) await recordDeliverabilityEvents('smtp-dsn', events, raw.toString('utf8'));
            callback();
          })
          .catch((error: unknown) => {
            // No address in logs; a temporary failure makes the sending server try again.
            console.error(
              'bounce listener: report not recorded',
              error instanceof Error ? error.name : 'error',
            );
            callback(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error: Error) => log().error({ error: error.name }, 'bounce listener error'));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts the listener when TARMO_BOUNCE_SMTP_PORT is set. With several workers only one can hold
 * the port; the others go on without it.
 */
export async function startBounceListenerFromEnv(): Promise<BounceListener | undefined> {
  const port = appEnv().TARMO_BOUNCE_SMTP_PORT;
  if (!port) return undefined;
  try {
    return await startBounceListener({ port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    log().warn(
      { port, code },
      code === 'EADDRINUSE'
        ? 'bounce listener: the port is taken (another worker has it)'
        : 'bounce listener failed',
    );
    return undefined;
  }
}
