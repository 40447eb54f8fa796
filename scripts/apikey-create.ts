// `npm run apikey:create -- --name N --scopes read,write,privacy [--expires 2027-01-01]`: prints a new key once.
import { parseArgs } from 'node:util';
import { closeDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createApiKey, createApiKeySchema } from '@/lib/auth/api-keys';
import { describeCliError } from './lib/cli-error';

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  const parsed = createApiKeySchema.safeParse({
    name: values.name ?? '',
    scopes: (values.scopes ?? '')
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean),
    expiresAt: values.expires,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`Invalid ${issue?.path.join('.')}: ${issue?.message}`);
    console.error(
      'Usage: npm run apikey:create -- --name N --scopes read,write,privacy [--expires YYYY-MM-DD]',
    );
    process.exit(2);
  }
  await migrateDatabase();
  const created = await createApiKey(parsed.data, { type: 'system' });
  if (values.quiet) {
    console.log(created.key);
    return;
  }
  console.log(
    `Created API key "${created.name}" (scopes: ${created.scopes.join(', ')}). It is shown only this once:`,
  );
  console.log(created.key);
}

main()
  // A PostgreSQL pool would keep the process alive.
  .then(() => closeDatabase())
  .catch((error: unknown) => {
    console.error(describeCliError(error));
    process.exit(1);
  });
