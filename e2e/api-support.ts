import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { e2eEnv } from './helpers';

/** Runs a TypeScript snippet with the app's own code against the e2e database (like an operator's CLI). */
export function runWithAppEnv(args: string[]): string {
  const env = e2eEnv();
  const result = spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), ...args], {
    env: { ...process.env, DATABASE_URL: env.databaseUrl, TARMO_DATA_DIR: env.dataDir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`command failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** `npm run apikey:create` against the e2e database; returns the key it prints once. */
export function createKey(name: string, scopes: string): string {
  return runWithAppEnv(['scripts/apikey-create.ts', '--name', name, '--scopes', scopes, '--quiet']);
}

export type Received = { headers: http.IncomingHttpHeaders; body: string; status: number };

/**
 * A real local HTTP receiver that answers with the given statuses in turn (then the last one).
 * By default on the one loopback port the e2e server allows webhooks to reach.
 */
export function startReceiver(
  statuses: number[],
  port = e2eEnv().webhookReceiverPort,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)] ?? 204;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${address.port}/hooks/tarmo`,
        received,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
