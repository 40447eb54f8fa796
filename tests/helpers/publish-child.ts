// A publishing process for tests/publish-crash.test.ts: publishes journey argv[2] as user argv[3]
// through the real publish path, on DATABASE_URL. With TARMO_TEST_CRASH_AT=after-publish it is
// SIGKILLed right after the version went live (lib/executor/crash-point.ts).
import { publishJourney } from '@/lib/journeys/lifecycle';

publishJourney({ id: Number(process.argv[3]) }, Number(process.argv[2]), { confirmWarnings: true })
  .then((result) => {
    process.stdout.write(JSON.stringify(result));
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
