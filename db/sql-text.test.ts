import { describe, expect, it } from 'vitest';
import { toPostgresSql } from './sql-text';

describe('toPostgresSql: SQLite placeholders to PostgreSQL', () => {
  it('numbers ? in order', () => {
    expect(toPostgresSql('SELECT * FROM t WHERE a = ? AND b IN (?, ?)', [1, 2, 3])).toEqual([
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
      [1, 2, 3],
    ]);
  });

  it('binds @name by name, the same name to the same number', () => {
    expect(
      toPostgresSql('UPDATE t SET a = @value, b = @other WHERE c = @value', { other: 'o', value: 'v' }),
    ).toEqual(['UPDATE t SET a = $1, b = $2 WHERE c = $1', ['v', 'o']]);
  });

  it('refuses a missing named parameter', () => {
    expect(() => toPostgresSql('SELECT @a, @b', { a: 1 })).toThrow(/missing SQL parameter @b/);
  });

  it('leaves ? and @ inside strings, quoted identifiers and escaped quotes alone', () => {
    expect(toPostgresSql(`SELECT 'a?b @c', 'it''s ?', "col?@x" FROM t WHERE d = ?`)).toBe(
      `SELECT 'a?b @c', 'it''s ?', "col?@x" FROM t WHERE d = $1`,
    );
  });

  it('leaves ? and @ inside line and block comments alone', () => {
    expect(toPostgresSql('SELECT a -- why? @because\nFROM t /* is ? @x */ WHERE b = ?')).toBe(
      'SELECT a -- why? @because\nFROM t /* is ? @x */ WHERE b = $1',
    );
  });

  it('leaves dollar-quoted bodies alone, with or without a tag, and does not take $1 for one', () => {
    const body = `CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no ? @x'; END; $$ LANGUAGE plpgsql`;
    expect(toPostgresSql(body)).toBe(body);
    expect(toPostgresSql('SELECT $fn$ ? @a $fn$, ?')).toBe('SELECT $fn$ ? @a $fn$, $1');
  });

  it('does not take the @> operator for a named placeholder', () => {
    expect(toPostgresSql(`SELECT a @> b FROM t WHERE c = ?`)).toBe('SELECT a @> b FROM t WHERE c = $1');
  });

  it('refuses a text that mixes ? and @name placeholders', () => {
    expect(() => toPostgresSql('SELECT * FROM t WHERE a = ? AND b = @b', { b: 1 })).toThrow(
      /mixes \? and @name/,
    );
  });

  it('strips the table qualifier drizzle puts on ON CONFLICT targets', () => {
    expect(toPostgresSql('insert into "t" ("a") values (?) on conflict ("t"."a") do nothing')).toBe(
      'insert into "t" ("a") values ($1) on conflict ("a") do nothing',
    );
  });
});
