// pretest: Playwright drives Debian's Chromium; never a downloaded browser.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (fs.existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = fs.existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log("Chromium is missing: installing Debian's chromium package (about a minute)…");
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit' });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', 'chromium'], {
          stdio: 'inherit',
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        })
      : update;
  if (install.status === 0 && fs.existsSync(CHROMIUM)) process.exit(0);
}
console.error(
  `The end-to-end tests need Chromium at ${CHROMIUM}.\n` +
    'Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
    '(Playwright must not download its own browser on this machine.)',
);
process.exit(1);
