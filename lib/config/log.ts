import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Structured logs: one JSON object per line on stdout (pretty when stdout is a terminal), with the
 * process role (web, worker, cli), and inside a request its id, route, and the staff user's or API
 * key's id (never who they are beyond the id). Personal data never reaches a log line: the keys in
 * REDACTED_KEYS are censored at any depth up to three levels, and every string is scrubbed of mail
 * addresses and bearer tokens (a message or an error text can quote one). Level: TARMO_LOG_LEVEL.
 */

export type ProcessRole = 'web' | 'worker' | 'cli';

/** What a request's log lines carry. Mutable: auth fills in who is asking once it knows. */
export type RequestContext = {
  requestId: string;
  route?: string;
  userId?: number;
  apiKeyId?: number;
  /** The client's network (IPv4 /24, IPv6 /48), for the audit log's "from where"; never logged. */
  network?: string;
  /** Set once this request wrote an audit entry (the generic write entry is then not needed). */
  audited?: boolean;
};

/** Keys whose values are personal data or secrets; tested in lib/config/log.test.ts. */
export const REDACTED_KEYS = [
  'email',
  'emails',
  'address',
  'to',
  'from',
  'cc',
  'bcc',
  'replyTo',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'phone',
  'body',
  'text',
  'html',
  'subject',
  'attributes',
  'password',
  'passwordHash',
  'secret',
  'token',
  'tokens',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'key',
  'authorization',
  'cookie',
  'set-cookie',
] as const;

export const CENSOR = '[redacted]';

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    const quoted = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const sep = quoted.startsWith('[') ? '' : '.';
    paths.push(quoted, `*${sep}${quoted}`, `*.*${sep}${quoted}`);
  }
  return paths;
}

const EMAIL = /[^\s"'<>(),;:@]+@[^\s"'<>(),;:@]+\.[^\s"'<>(),;:@]+/g;
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
const API_KEY = /\btarmo_[A-Za-z0-9_-]{8,}/g;

/** Removes mail addresses, bearer credentials and API keys from free text. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(BEARER, '$1 [redacted]').replace(API_KEY, 'tarmo_[redacted]');
}

function scrubDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item, depth + 1);
  return out;
}

/** An Error as a log field: its class, message and code, scrubbed; no stack in production. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(process.env.NODE_ENV !== 'production' && error.stack ? { stack: scrubText(error.stack) } : {}),
  };
}

type LogState = {
  role: ProcessRole;
  logger?: Logger;
  context: AsyncLocalStorage<RequestContext>;
};

// One state per process: Next bundles instrumentation, routes and pages separately, and each bundle
// would otherwise have its own logger and its own request context.
const STATE = Symbol.for('tarmo.log');
function state(): LogState {
  const holder = globalThis as { [STATE]?: LogState };
  holder[STATE] ??= { role: 'web', context: new AsyncLocalStorage<RequestContext>() };
  return holder[STATE];
}

/** Declares what this process is (scripts/worker.ts: 'worker'); before the first log line. */
export function setProcessRole(role: ProcessRole): void {
  const s = state();
  s.role = role;
  s.logger = undefined;
}

export function requestContext(): RequestContext | undefined {
  return state().context.getStore();
}

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return state().context.run(context, fn);
}

/** Adds who is asking to the current request's log lines (a no-op outside a request). */
export function noteRequestActor(actor: { userId?: number; apiKeyId?: number }): void {
  const context = requestContext();
  if (!context) return;
  if (actor.userId !== undefined) context.userId = actor.userId;
  if (actor.apiKeyId !== undefined) context.apiKeyId = actor.apiKeyId;
}

/** Builds a logger writing to `destination` (tests pass their own stream). */
export function createLogger(destination: DestinationStream, role: ProcessRole = state().role): Logger {
  return pino(
    {
      level: process.env.TARMO_LOG_LEVEL || 'info',
      base: { role, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubDeep(object, 0) as Record<string, unknown>,
      },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: redactPaths(), censor: CENSOR },
      mixin() {
        const context = requestContext();
        if (!context) return {};
        return {
          requestId: context.requestId,
          ...(context.route ? { route: context.route } : {}),
          ...(context.userId !== undefined ? { userId: context.userId } : {}),
          ...(context.apiKeyId !== undefined ? { apiKeyId: context.apiKeyId } : {}),
        };
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** The process's logger: JSON lines on stdout, pretty when stdout is a terminal. */
export function log(): Logger {
  const s = state();
  if (!s.logger) {
    const destination = process.stdout.isTTY
      ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ fd: 1, sync: true });
    s.logger = createLogger(destination, s.role);
  }
  return s.logger;
}
