import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { folderCycles, folderGraph, folderOf } from './check-import-cycles.mjs';

describe('check-import-cycles', () => {
  it('groups files into the folders a reader thinks in', () => {
    expect(folderOf('lib/privacy/ledger.ts')).toBe('lib/privacy');
    expect(folderOf('lib/result.ts')).toBe('lib/result');
    expect(folderOf('db/store/journeys.ts')).toBe('db');
    expect(folderOf('app/api/v1/customers/route.ts')).toBe('app');
  });

  it('finds a cycle between folders and ignores a chain', () => {
    const graph = (pairs: [string, string][]) => {
      const edges = new Map<string, Map<string, string>>();
      for (const [from, to] of pairs) {
        if (!edges.has(from)) edges.set(from, new Map());
        edges.get(from)!.set(to, `${from} imports ${to}`);
      }
      return edges;
    };
    expect(
      folderCycles(
        graph([
          ['lib/privacy', 'lib/mail'],
          ['lib/mail', 'db'],
        ]),
      ),
    ).toEqual([]);
    expect(
      folderCycles(
        graph([
          ['lib/privacy', 'lib/mail'],
          ['lib/mail', 'lib/outbox'],
          ['lib/outbox', 'lib/privacy'],
        ]),
      ),
    ).toEqual([['lib/mail', 'lib/outbox', 'lib/privacy']]);
  });

  it('finds no cycle in this repository', () => {
    expect(folderCycles(folderGraph())).toEqual([]);
  });
});
