/**
 * What a test file does when something its tests need is absent (PostgreSQL, Redis, a server
 * binary). Under CI=true everything is provided (.ci/run), so an absence fails the run instead of
 * passing quietly; elsewhere the tests that need it are collected as skipped, and the run says
 * which and why. Decided at collection time, so a skipped test shows as skipped, never as passed.
 */
export function missingDependency(reason: string, skipped: string, hint?: string): false {
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: ${skipped} must run in CI`);
  process.stderr.write(`\n[kiji] ${reason}: ${skipped} are SKIPPED.\n${hint ? `       ${hint}\n` : ''}\n`);
  return false;
}
