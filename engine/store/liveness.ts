// Work in progress is written under names that carry the writer's pid
// ("tmp-<pid>-<random>"), so a sweep can tell a crashed writer's leftovers
// from a file another live process (the app while the CLI runs) is still
// writing. A reused pid only delays the cleanup to a later sweep. What is
// kept longer (a layer waiting for its image) carries the writer's identity,
// "pid:start time", which a reused pid cannot take.

import fs from 'node:fs';

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

/**
 * The fields of /proc/PID/stat after the command's name (which may hold
 * spaces and parentheses): [0] the state, [3] the session, [19] the start
 * time; undefined when no such process is there.
 */
export function procStat(pid: number | 'self'): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The kernel's start time of `pid` (clock ticks since boot), or undefined when it is gone. */
function startTime(pid: number | 'self'): string | undefined {
  const fields = procStat(pid);
  return fields === undefined || fields[0] === 'Z' ? undefined : fields[19];
}

let self: string | undefined;

/** This process as a writer: "pid:start time". */
export function writerIdentity(): string {
  self ??= `${process.pid}:${startTime('self')}`;
  return self;
}

/** Whether the process a writerIdentity() names still runs ('' names no one). */
export function writerAlive(identity: string): boolean {
  const [pid, start] = identity.split(':');
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 && start !== undefined && startTime(n) === start;
}
