// Work in progress is written under names that carry the writer's pid
// ("tmp-<pid>-<random>"), so a sweep can tell a crashed writer's leftovers
// from a file another live process (the app while the CLI runs) is still
// writing. A reused pid only delays the cleanup to a later sweep.

/** A fresh temporary name owned by this process. */
export function tempName(prefix: string): string {
  return `${prefix}${process.pid}-${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}`;
}

/** True when `name` is a temporary name under `prefix` whose writer no longer runs. */
export function isAbandoned(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  const pid = Number.parseInt(name.slice(prefix.length), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the pid runs as another user, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
