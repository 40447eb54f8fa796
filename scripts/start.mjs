// `npm start`: build if needed, migrate, seed an empty database, run the web app and the worker.
import { spawn, spawnSync } from 'node:child_process';
import { ensureBuild } from './lib/build.mjs';

const port = process.env.PORT || '3000';
const appUrl = process.env.APP_URL || `http://localhost:${port}`;
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: port,
  APP_URL: appUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || appUrl,
};

try {
  ensureBuild();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const boot = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/bootstrap.ts'], {
  env,
  stdio: 'inherit',
});
if (boot.status !== 0) process.exit(boot.status ?? 1);

const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env, stdio: 'inherit' });
let announced = false;
web.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /ready|started/i.test(String(chunk))) {
    announced = true;
    console.log(`\n  Tarmo is running at ${appUrl}  (log in at ${appUrl}/login)\n`);
  }
});
function stop(code = 0) {
  web.kill('SIGTERM');
  worker.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
web.on('exit', (code) => stop(code ?? 0));
worker.on('exit', (code) => {
  if (code) console.error(`worker exited with code ${code}`);
});
