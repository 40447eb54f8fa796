/**
 * What every JSON body must satisfy before any schema looks at it: nested at most `maxDepth`
 * deep (a deep body would overflow a recursive step later and answer 500), and no string or key
 * with a NUL character or an unpaired surrogate (PostgreSQL refuses NUL in text and JSON, and an
 * unpaired surrogate cannot be stored as UTF-8 without silently changing it). Iterative, so the
 * check itself cannot overflow. Returns the first offending field as a dot path, or null.
 */
export const MAX_JSON_DEPTH = 32;

export type JsonProblem = { field: string; message: string };

export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  return hasJsonProblem(value, maxDepth) ? locateJsonProblem(value, maxDepth) : null;
}

/**
 * Whether the body has any problem, without building a path for every node (a 1,000-event batch
 * is ~10,000 nodes; the paths were most of the guard's time). Same rules as locateJsonProblem.
 */
function hasJsonProblem(value: unknown, maxDepth: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current === 'string') {
      if (textProblem(current)) return true;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return true;
    if (Array.isArray(current)) {
      for (const item of current as unknown[]) {
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key of Object.keys(current)) {
      if (textProblem(key)) return true;
      values.push((current as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** The first offending field, in the order the guard has always reported it. */
function locateJsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    const field = path.join('.') || 'body';
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field, message: `${field}: ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return { field, message: `${field}: nested deeper than ${maxDepth} levels` };
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current as Record<string, unknown>);
    for (const [key, item] of entries) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field, message: `${field}: a key ${keyProblem}` };
      stack.push({ value: item, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored as it is, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (UNPAIRED_SURROGATE.test(text)) return 'is not valid Unicode text';
  return null;
}
