/**
 * An operator command's failure as one line per cause. Drizzle wraps a driver error as
 * "Failed query: <sql> params: <values>" with the driver's own message (e.g. SQLITE_BUSY) as its
 * cause: the cause is what the operator needs, and the parameters (addresses, password hashes)
 * have no place on a terminal or in a CI log, so that wrapper is named, not printed.
 */
export function describeCliError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    parts.push(message.startsWith('Failed query:') ? 'a database statement failed' : message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('; caused by: ');
}
