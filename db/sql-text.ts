/** Positional (`?`) or named (`@name`) parameters of a raw statement. */
export type SqlParams = readonly unknown[] | Record<string, unknown>;

const converted = new Map<string, { text: string; names: string[] }>();

/**
 * SQLite placeholders → PostgreSQL's: `?` becomes `$1, $2 …` in order, `@name` becomes the `$n` of
 * that name. Quoted strings and identifiers are left alone. Cached per text (the store's SQL is a
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

function convert(text: string): { text: string; names: string[] } {
  let out = '';
  let position = 0;
  const names: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      const stop = end === -1 ? text.length - 1 : end;
      out += text.slice(i, stop + 1);
      i = stop;
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
  // drizzle's SQLite dialect qualifies the columns of an ON CONFLICT target ("t"."a"), which
  // PostgreSQL rejects: it takes bare column names there.
  out = out.replace(
    / on conflict \(([^)]*)\)/g,
    (_, target: string) => ` on conflict (${target.replace(/"(?:[^"]|"")*"\./g, '')})`,
  );
  return { text: out, names };
}
