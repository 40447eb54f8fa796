import type { FilterImpl } from 'liquidjs/dist/template/filter-impl-options';
import {
  Context,
  Liquid,
  LiquidError,
  Tag,
  filters as builtinFilters,
  toValueSync,
  type Emitter,
  type Template,
} from 'liquidjs';

/**
 * The one Liquid engine that renders every message: the preview, test sends and real mail
 * (so they cannot disagree). Sandboxed: no file system (include, render and layout are refused),
 * own properties only, unknown filters and variables are errors, and each render is bounded in
 * time, in memory, in the number of nodes it renders and in the size of what it writes.
 */
export const LIMITS = {
  templateChars: 200_000,
  renderMs: 1_000,
  memory: 20_000_000,
  renders: 50_000,
  outputChars: 2_000_000,
} as const;

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'render' | 'limit',
  ) {
    super(message);
  }
}

class NoFilesTag extends Tag {
  constructor(...args: ConstructorParameters<typeof Tag>) {
    super(...args);
    throw new Error(`“${this.name}” is not available in messages (templates cannot read files)`);
  }
  *render() {}
}

const refusingFs = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => Promise.reject(new Error('no files')),
  readFileSync: () => {
    throw new Error('no files');
  },
  resolve: (_root: string, file: string) => file,
  sep: '/',
};

function createEngine(html: boolean): Liquid {
  const engine = new Liquid({
    // In HTML every written value is escaped (at parse time, so one engine per context).
    outputEscape: html ? escapeForHtml : undefined,
    strictFilters: true,
    strictVariables: true,
    // `{% if firstName %}` and `| default:` work on a variable the customer lacks.
    lenientIf: true,
    ownPropertyOnly: true,
    parseLimit: LIMITS.templateChars,
    renderLimit: LIMITS.renderMs,
    memoryLimit: LIMITS.memory,
    fs: refusingFs,
    relativeReference: false,
  });
  for (const tag of ['include', 'render', 'layout']) engine.registerTag(tag, NoFilesTag);
  engine.registerFilter('date', localDate);
  // `raw` would let a customer's attribute write markup into the mail: always escaped here.
  engine.registerFilter('raw', (value: unknown) => value);
  return engine;
}

type RenderSettings = { timeZone: string; language: string };
const SETTINGS = 'tarmo.settings';
/** `date` in the customer's time zone and language unless the template names a format or zone. */
function localDate(this: FilterImpl, value: string | Date, format?: string, zone?: string): string | Date {
  const settings = this.context.getRegister(SETTINGS) as RenderSettings | undefined;
  const timeZone = zone ?? settings?.timeZone ?? 'UTC';
  if (format === undefined) {
    // The common case ("1. Januar 2027") with a cached formatter: Liquid's strftime builds Intl
    // formatters on every call, which cost more than the rest of a mail's rendering.
    if (value === 'now' || value === 'today') return today(settings?.language ?? 'en', timeZone);
    const date = toDate(value);
    if (date) return longDateFormat(settings?.language ?? 'en', timeZone).format(date);
  }
  return (builtinFilters.date as typeof localDate).call(this, value, format, timeZone);
}

function toDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value === 'now' || value === 'today') date = new Date();
  else if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) date = new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** "now" formatted per language and zone, kept for a minute: most mails of a batch ask for it. */
const todays = new Map<string, { minute: number; text: string }>();
function today(language: string, timeZone: string): string {
  const now = Date.now();
  const minute = Math.floor(now / 60_000);
  const key = `${language} ${timeZone}`;
  const hit = todays.get(key);
  if (hit?.minute === minute) return hit.text;
  const text = longDateFormat(language, timeZone).format(new Date(now));
  if (todays.size > 1000) todays.clear();
  todays.set(key, { minute, text });
  return text;
}

const longDateFormats = new Map<string, Intl.DateTimeFormat>();
function longDateFormat(language: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${language} ${timeZone}`;
  let format = longDateFormats.get(key);
  if (!format) {
    const locale = language === 'de' ? 'de-DE' : 'en-GB';
    const options = { day: 'numeric', month: 'long', year: 'numeric' } as const;
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // A customer's unknown zone name: UTC rather than a failed mail.
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    }
    if (longDateFormats.size > 1000) longDateFormats.clear();
    longDateFormats.set(key, format);
  }
  return format;
}

type Engine = { liquid: Liquid; parsed: Map<string, Template[]>; options: Map<string, Liquid['options']> };
const engines = {
  text: { liquid: createEngine(false), parsed: new Map(), options: new Map() } as Engine,
  html: { liquid: createEngine(true), parsed: new Map(), options: new Map() } as Engine,
};
const PARSED_CACHE_SIZE = 500;

/** Options per language: the date filter's month and day names follow `locale`. */
function optionsFor(engine: Engine, language: string) {
  let options = engine.options.get(language);
  if (!options) {
    options = { ...engine.liquid.options, locale: language === 'de' ? 'de-DE' : 'en-GB' };
    engine.options.set(language, options);
  }
  return options;
}

/**
 * Parses a template (cached by source: a template version is parsed once, not once per mail);
 * a syntax error is a TemplateError naming line and column.
 */
export function parseTemplate(source: string, context: 'text' | 'html' = 'text'): Template[] {
  const engine = engines[context];
  const hit = engine.parsed.get(source);
  if (hit) return hit;
  let templates: Template[];
  try {
    templates = engine.liquid.parse(source);
  } catch (error) {
    throw toTemplateError(error, 'syntax');
  }
  if (engine.parsed.size >= PARSED_CACHE_SIZE)
    engine.parsed.delete(engine.parsed.keys().next().value as string);
  engine.parsed.set(source, templates);
  return templates;
}

/** The top-level variable names a template reads (`firstName`, `purpose` for `purpose.name`). */
export function variablesOf(source: string): string[] {
  return engines.text.liquid.globalVariablesSync(parseTemplate(source));
}

/** Variables read without a `default` filter directly after them, for the missing-data check. */
export function variablesWithoutDefault(source: string): string[] {
  const withDefault = new Set<string>();
  for (const match of source.matchAll(/\{\{-?\s*([A-Za-z_][\w.]*)\s*\|\s*default\s*:/g))
    withDefault.add(match[1].split('.')[0]);
  const guarded = new Set<string>();
  for (const match of source.matchAll(/\{%-?\s*(?:if|unless)\s+([A-Za-z_]\w*)/g)) guarded.add(match[1]);
  return variablesOf(source).filter((name) => !withDefault.has(name) && !guarded.has(name));
}

/** An emitter that stops a render writing more than the output limit. */
class BoundedEmitter implements Emitter {
  buffer = '';
  write(html: unknown) {
    const text = html === null || html === undefined ? '' : String(html);
    if (this.buffer.length + text.length > LIMITS.outputChars)
      throw new TemplateError(
        `The message grew beyond ${LIMITS.outputChars / 1_000_000} million characters; rendering stopped`,
        'limit',
      );
    this.buffer += text;
  }
}

export type RenderInput = {
  scope: Record<string, unknown>;
  /** HTML context: every value written by `{{ }}` is escaped. */
  escapeHtml: boolean;
  timeZone: string;
  language: string;
  /** False: an unknown variable renders empty instead of failing (plain messages only). */
  strict?: boolean;
};

/** Renders one template for one customer. Errors (unknown variable, limits) are TemplateErrors. */
export function renderTemplate(source: string, input: RenderInput): string {
  const engine = engines[input.escapeHtml ? 'html' : 'text'];
  const templates = parseTemplate(source, input.escapeHtml ? 'html' : 'text');
  const ctx = new Context(
    input.scope,
    optionsFor(engine, input.language),
    { sync: true, templateLimit: LIMITS.renders, strictVariables: input.strict ?? true },
    { liquid: engine.liquid },
  );
  ctx.setRegister(SETTINGS, { timeZone: input.timeZone, language: input.language } satisfies RenderSettings);
  const emitter = new BoundedEmitter();
  try {
    toValueSync(engine.liquid.renderer.renderTemplates(templates, ctx, emitter));
  } catch (error) {
    throw toTemplateError(error, 'render');
  }
  return emitter.buffer;
}

function escapeForHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function toTemplateError(error: unknown, fallback: TemplateError['kind']): TemplateError {
  if (error instanceof TemplateError) return error;
  const cause =
    error instanceof LiquidError && error.originalError instanceof TemplateError
      ? error.originalError
      : undefined;
  if (cause) return cause;
  const message = error instanceof Error ? error.message : String(error);
  if (/limit exceeded/.test(message))
    return new TemplateError(
      `The template took too long or used too much memory and was stopped (${message})`,
      'limit',
    );
  if (/undefined variable: (\S+?),/.test(message)) {
    const name = /undefined variable: (\S+?),/.exec(message)?.[1];
    return new TemplateError(
      `Unknown variable “${name}”: add a default, e.g. {{ ${name} | default: "…" }}`,
      'render',
    );
  }
  return new TemplateError(message, fallback);
}
