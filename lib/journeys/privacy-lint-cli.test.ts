import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertUser } from '@/db/store/users';
import { insertPurposes } from '@/db/store/workspace';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { sampleSimpleJourney, type JourneyDraft } from '@/lib/journey';
import { useTempDatabase } from '@/tests/helpers/db';
import { publishDraft } from './publish';
import { createJourney, saveDraft } from './service';

// Always a SQLite file: the command is run as an operator would, on the file DATABASE_URL names.
const database = useTempDatabase({ store: 'sqlite' });
let actor: { id: number };

beforeAll(async () => {
  await insertPurposes(DEMO_PURPOSES);
  const { user } = await upsertUser({ email: 'lint@example.com', role: 'marketer', passwordHash: 'x' });
  actor = { id: user.id };
});

function runLint(env: Record<string, string> = {}, ...args: string[]) {
  return spawnSync(
    process.execPath,
    [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/privacy-lint.ts', ...args],
    { env: { ...process.env, DATABASE_URL: `file:${database.file()}`, ...env }, encoding: 'utf8' },
  );
}

async function journeyWithDraft(name: string, graph: JourneyDraft): Promise<number> {
  const created = await createJourney(actor, name);
  if (!created.ok) throw new Error('create failed');
  await saveDraft(actor, created.value.id, { revision: 1, graph });
  return created.value.id;
}

describe('npm run privacy:lint', () => {
  it('exits 0 on warnings only and 1 once a journey has an error, naming journey, version, step and rule', async () => {
    // A live journey reading an attribute the newsletter's record does not mention: a warning.
    const simple = sampleSimpleJourney('newsletter');
    const entry = simple.nodes[0]!;
    const warned = await journeyWithDraft('Tiered newsletter', {
      ...simple,
      nodes: [
        {
          ...entry,
          config: {
            mode: 'segment',
            segment: {
              match: 'all',
              conditions: [{ kind: 'attribute', key: 'loyaltyTier', op: 'eq', value: 'gold' }],
            },
            reentry: { policy: 'never' },
            goals: [],
          },
        },
        ...simple.nodes.slice(1),
      ],
    });
    expect(await publishDraft(actor, warned, { confirmWarnings: true })).toMatchObject({ ok: true });
    const clean = runLint();
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain(
      `warning Tiered newsletter (#${warned}), live v1 · Entry “Consenting customers” · purpose-record-unmentioned:`,
    );
    expect(clean.stdout).toContain('privacy:lint: 0 errors, 1 warning.');

    // A draft sending for a purpose that does not exist: an error.
    const broken = await journeyWithDraft('Ghost mail', {
      ...simple,
      nodes: simple.nodes.map((node) =>
        node.id === 'send' ? { ...node, config: { ...node.config, purpose: 'ghost' } } : node,
      ),
    });
    const failed = runLint();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain(
      `error   Ghost mail (#${broken}), draft · Send message “Hello” · unknown-purpose: Send message “Hello” uses the purpose “ghost”, which does not exist.`,
    );
    expect(failed.stdout).toContain('privacy:lint: 1 error, 2 warnings.');

    const json = runLint({}, '--json');
    expect(json.status).toBe(1);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ ok: false, errors: 1, warnings: 2 });
    expect(lines).toContainEqual(
      expect.objectContaining({
        journeyId: broken,
        version: 'draft',
        rule: 'unknown-purpose',
        severity: 'error',
      }),
    );
  }, 180_000);

  it('exits 2 when the database does not exist', () => {
    const missing = runLint({ DATABASE_URL: `file:${path.join(database.dir(), 'nothing-here.db')}` });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no database');
  });
});
