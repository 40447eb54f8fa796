/**
 * Test-only: `TARMO_TEST_CRASH_AT=<point>` SIGKILLs this process at that point, so a test can
 * prove the state left behind is finished by another process (e.g. a rollout after "version is
 * live"). Does nothing unless the variable names the point.
 */
export function crashPointForTests(point: 'after-publish'): void {
  if (process.env.TARMO_TEST_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
