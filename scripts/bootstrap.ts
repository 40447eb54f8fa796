// Migrates, seeds the demo workspace into an empty database, and says how to log in.
import { closeDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { isWorkspaceEmpty } from '@/db/store/workspace';
import { appEnv } from '@/lib/config/env';
import { seedDemoWorkspace } from '@/lib/demo/seed';
import { describeCliError } from './lib/cli-error';

async function main() {
  const env = appEnv();
  const quiet = process.argv.includes('--quiet');
  await migrateDatabase(env.DATABASE_URL);
  const empty = await isWorkspaceEmpty();
  const seed = (env.TARMO_SEED_DEMO ?? '1') === '1';
  if (empty && seed) {
    const result = await seedDemoWorkspace({
      password: process.env.TARMO_DEMO_PASSWORD,
      // The e2e suite starts from a workspace without journey traffic, so its counts are exact.
      activity: process.env.TARMO_DEMO_ACTIVITY !== '0',
    });
    if (quiet) return;
    console.log(`\nDemo workspace created: ${result.customers} customers, purposes, journeys.`);
    console.log('Log in with one of these accounts (passwords are shown only this once and stored hashed):');
    for (const login of result.logins)
      console.log(`  ${login.role.padEnd(10)} ${login.email.padEnd(24)} ${login.password}`);
    console.log(
      'Lost them? Set a new one: TARMO_PASSWORD=… npm run user:add -- --email admin@tarmo.demo --role admin\n',
    );
  } else if (!quiet) {
    if (empty) {
      console.log('\nEmpty workspace (TARMO_SEED_DEMO=0). Create an admin first:');
      console.log('  TARMO_PASSWORD=… npm run user:add -- --email you@example.com --role admin\n');
    } else {
      console.log(
        '\nLog in with your staff account (demo accounts: marketer@, compliance@, admin@tarmo.demo;',
      );
      console.log('their passwords were printed on the first start; reset one with npm run user:add).\n');
    }
  }
}

main()
  // A PostgreSQL pool would keep the process alive.
  .then(() => closeDatabase())
  .catch((error: unknown) => {
    console.error('bootstrap failed:', describeCliError(error));
    process.exit(1);
  });
