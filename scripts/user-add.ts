// `npm run user:add -- --email E --role marketer|compliance|admin`; password from TARMO_PASSWORD or stdin.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { closeDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { hashPassword } from '@/lib/auth/password';
import { upsertUser } from '@/db/store/users';
import { recordAudit } from '@/db/store/audit';
import { ROLES } from '@/lib/vocabulary';
import { describeCliError } from './lib/cli-error';

const argsSchema = z.object({
  email: z.string().email(),
  role: z.enum(ROLES),
  name: z.string().optional(),
});

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    console.error(`Invalid ${args.error.issues[0]?.path.join('.')}: ${args.error.issues[0]?.message}`);
    console.error('Usage: npm run user:add -- --email E --role marketer|compliance|admin [--name N]');
    process.exit(2);
  }
  const password = process.env.TARMO_PASSWORD ?? (await readStdin());
  if (password.length < 10) {
    console.error('The password must have at least 10 characters.');
    process.exit(2);
  }
  await migrateDatabase();
  const { user, created } = await upsertUser({ ...args.data, passwordHash: await hashPassword(password) });
  await recordAudit({
    actorType: 'system',
    action: created ? 'user.created' : 'user.updated',
    targetType: 'user',
    targetId: user.id,
    details: { role: user.role, via: 'cli' },
  });
  console.log(`${created ? 'Created' : 'Updated'} ${user.role} ${user.email}`);
}

main()
  // A PostgreSQL pool would keep the process alive.
  .then(() => closeDatabase())
  .catch((error: unknown) => {
    console.error(describeCliError(error));
    process.exit(1);
  });
