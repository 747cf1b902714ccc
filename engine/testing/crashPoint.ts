// A test's crash switch, loaded into a strata process with
// NODE_OPTIONS=--require .../crashPoint.js (nothing of it is in the engine):
// every step that changes the disk or the database (a file written, renamed,
// removed, a directory made, a SQLite statement run, a process spawned, a
// device node or extended attribute set) is counted, and the process kills
// itself with SIGKILL just before step $STRATA_CRASH_AT. With
// $STRATA_CRASH_COUNT set to a file, it writes there how many steps it took.

import childProcess from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';

const crashAt = Number(process.env.STRATA_CRASH_AT ?? 0);
const countFile = process.env.STRATA_CRASH_COUNT;
const writeFileSync = fs.writeFileSync;
let steps = 0;

function step(): void {
  steps++;
  if (steps === crashAt) process.kill(process.pid, 'SIGKILL');
}

type AnyFn = (...args: unknown[]) => unknown;

function counted<T extends object>(target: T, names: readonly string[], when: (args: unknown[]) => boolean = () => true): void {
  for (const name of names) {
    const original = (target as Record<string, unknown>)[name];
    if (typeof original !== 'function') continue;
    (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
      if (when(args)) step();
      return (original as AnyFn).apply(this, args);
    };
  }
}

/** Opens that may write: any flags but plain reading. */
const writes = (args: unknown[]) => {
  const flags = args[1];
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0;
  return typeof flags === 'string' && flags !== 'r';
};

const mutators = [
  'writeFile', 'appendFile', 'rename', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'symlink', 'link', 'copyFile',
  'write', 'writev', 'fsync', 'fdatasync', 'truncate', 'ftruncate', 'chmod', 'fchmod', 'chown', 'fchown', 'lchown', 'utimes', 'futimes', 'lutimes',
];
counted(fs, [...mutators, ...mutators.map((n) => `${n}Sync`)]);
counted(fs, ['open', 'openSync'], writes);
counted(fs.promises, mutators);
counted(fs.promises, ['open'], writes);
// A FileHandle's writes (blobs, save's archive): its class is reachable only through an open file,
// which is there long before the command gets to write anything.
void fs.promises.open('/dev/null', 'r').then(async (handle) => {
  counted(Object.getPrototypeOf(handle) as object, ['write', 'writev', 'writeFile', 'appendFile', 'sync', 'datasync', 'truncate', 'chmod', 'chown']);
  await handle.close();
});
counted(childProcess, ['spawn', 'execFile', 'spawnSync', 'execFileSync']);

// better-sqlite3: every statement run (a write) and every exec.
const Database = require('better-sqlite3') as { prototype: object; new (file: string): { prepare(sql: string): object; close(): void } };
const probe = new Database(':memory:');
counted(Object.getPrototypeOf(probe.prepare('SELECT 1')), ['run']);
counted(Database.prototype, ['exec']);
probe.close();

// The engine's native addon (mknod, xattrs), wrapped as it loads.
const load = (Module as unknown as { _load: AnyFn })._load;
(Module as unknown as { _load: AnyFn })._load = function (this: unknown, ...args: unknown[]) {
  const exported = load.apply(this, args);
  if (typeof args[0] === 'string' && args[0].endsWith('.node') && args[0].includes('strata_native') && exported && typeof exported === 'object') {
    counted(exported as object, Object.keys(exported as object));
  }
  return exported;
};

if (countFile) process.on('exit', () => writeFileSync(countFile, String(steps)));
