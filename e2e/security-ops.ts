// Operator-side steps for e2e/security.spec.ts, run with the app's own code against the e2e
// database (like the CLIs): what an attacker cannot do through the app, but a test must set up.
import { closeDatabase } from '@/db/client';
import { listApiKeys } from '@/db/store/api-keys';
import { findUserByEmail, updateUser } from '@/db/store/users';
import { insertWebhook } from '@/db/store/webhooks';
import { revokeKey } from '@/lib/auth/api-keys';

async function main() {
  const [command, arg] = process.argv.slice(2);
  if (command === 'add-webhook-unchecked') {
    // A subscription saved while its host still resolved to a public address (DNS rebinding).
    const row = await insertWebhook({
      name: 'rebound',
      url: arg!,
      events: ['consent.changed'],
      secret: 'whsec_x',
    });
    console.log(`webhook-id=${row.id}`);
  } else if (command === 'disable-user') {
    const user = await findUserByEmail(arg!);
    await updateUser(user!.id, { disabled: true });
  } else if (command === 'revoke-key') {
    const key = (await listApiKeys()).find((row) => row.name === arg);
    await revokeKey(key!.id, { type: 'system' });
  } else {
    throw new Error(`unknown command ${command}`);
  }
  await closeDatabase();
}

void main();
