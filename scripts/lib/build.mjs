// Builds the Next.js app when no build exists or any source is newer than the last build.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'public'];
const SOURCE_FILES = ['next.config.mjs', 'package.json', 'tsconfig.json', 'proxy.ts', 'instrumentation.ts'];

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function distDir() {
  return process.env.NEXT_DIST_DIR || '.next';
}

export function buildIsCurrent() {
  const stamp = path.join(distDir(), 'BUILD_ID');
  if (!fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  const newest = Math.max(...SOURCE_DIRS.map(newestMtime), ...SOURCE_FILES.map(newestMtime));
  return newest <= built;
}

export function ensureBuild({ quiet = false } = {}) {
  if (buildIsCurrent()) return;
  if (!quiet) console.log(`Building Tarmo (${distDir()})… this takes a minute or two on the first start.`);
  const result = spawnSync(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'build'], {
    stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    if (quiet && result.stdout) process.stdout.write(result.stdout);
    throw new Error('next build failed');
  }
}
