import { describe, expect, it } from 'vitest';
import { describeCliError } from './cli-error';

describe('an operator command failure', () => {
  it('shows the driver cause of a failed query, not its parameters', () => {
    const failed = new Error(
      'Failed query: insert into "users" ("email", "password_hash") values (?, ?)\nparams: someone@example.test,scrypt$16384$8$1$abc',
      { cause: new Error('SQLITE_BUSY: database is locked') },
    );
    const line = describeCliError(failed);
    expect(line).toBe('a database statement failed; caused by: SQLITE_BUSY: database is locked');
    expect(line).not.toContain('someone@example.test');
  });

  it('keeps a plain message and a value that is not an Error', () => {
    expect(describeCliError(new Error('--email is required'))).toBe('--email is required');
    expect(describeCliError('stopped')).toBe('stopped');
  });
});
