import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('tsconfig.json', () => {
  it('is already what `next build` writes, so a build leaves a fresh clone clean', async () => {
    // Next's own step that rewrites tsconfig.json at build time, run on a copy.
    const { writeConfigurationDefaults } =
      require('next/dist/lib/typescript/writeConfigurationDefaults.js') as {
        writeConfigurationDefaults: (...args: unknown[]) => Promise<void>;
      };
    const typescriptVersion = (require('typescript/package.json') as { version: string }).version;
    const committed = fs.readFileSync(path.resolve('tsconfig.json'), 'utf8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarmo-tsconfig-'));
    try {
      const copy = path.join(dir, 'tsconfig.json');
      fs.writeFileSync(copy, committed);
      await writeConfigurationDefaults(typescriptVersion, copy, false, true, '.next', false, false);
      expect(fs.readFileSync(copy, 'utf8')).toBe(committed);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
