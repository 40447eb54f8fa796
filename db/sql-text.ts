/** Positional (`?`) or named (`@name`) parameters of a raw statement. */
export type SqlParams = readonly unknown[] | Record<string, unknown>;

const converted = new Map<string, { text: string; names: string[] }>();

/**
 * SQLite placeholders → PostgreSQL's: `?` becomes `$1, $2 …` in order, `@name` becomes the `$n` of
 * that name. Quoted strings and identifiers, comments and dollar-quoted bodies are left alone; a
 * text that mixes `?` and `@name` is refused. Cached per text (the store's SQL is a
 * small fixed set).
 */
export function toPostgresSql(text: string): string;
export function toPostgresSql(text: string, params: SqlParams): [string, unknown[]];
export function toPostgresSql(text: string, params?: SqlParams): string | [string, unknown[]] {
  let entry = converted.get(text);
  if (!entry) {
    entry = convert(text);
    converted.set(text, entry);
  }
  if (params === undefined) return entry.text;
  if (Array.isArray(params)) return [entry.text, params as unknown[]];
  const named = params as Record<string, unknown>;
  return [
    entry.text,
    entry.names.map((name) => {
      if (!(name in named)) throw new Error(`missing SQL parameter @${name}`);
      return named[name];
    }),
  ];
}

/** Where the literal, identifier, comment or dollar-quoted body starting at `i` ends (inclusive). */
function skipEnd(text: string, i: number): number | undefined {
  const char = text[i];
  const until = (close: string, from: number) => {
    const end = text.indexOf(close, from);
    return end === -1 ? text.length - 1 : end + close.length - 1;
  };
  if (char === "'" || char === '"') return until(char, i + 1); // '' and "" escapes: two spans in a row
  if (char === '-' && text[i + 1] === '-') return until('\n', i + 2);
  if (char === '/' && text[i + 1] === '*') return until('*/', i + 2);
  if (char === '$') {
    // $$…$$ or $tag$…$tag$ (a tag never starts with a digit, so $1 is not one).
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
    if (tag) return until(tag[0], i + tag[0].length);
  }
  return undefined;
}

function convert(text: string): { text: string; names: string[] } {
  let out = '';
  let position = 0;
  const names: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const end = skipEnd(text, i);
    if (end !== undefined) {
      out += text.slice(i, end + 1);
      i = end;
    } else if (char === '?') {
      out += `$${++position}`;
    } else if (char === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      out += `$${index + 1}`;
      i += name.length;
    } else {
      out += char;
    }
  }
  // Named parameters are bound by name and positional ones by order: in one text the numbers clash.
  if (position > 0 && names.length > 0)
    throw new Error(`SQL mixes ? and @name placeholders: ${text.slice(0, 80)}`);
  // drizzle's SQLite dialect qualifies the columns of an ON CONFLICT target ("t"."a"), which
  // PostgreSQL rejects: it takes bare column names there.
  out = out.replace(
    / on conflict \(([^)]*)\)/g,
    (_, target: string) => ` on conflict (${target.replace(/"(?:[^"]|"")*"\./g, '')})`,
  );
  return { text: out, names };
}
