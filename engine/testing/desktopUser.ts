// An unprivileged user for the rootless tests, set up as a desktop would set
// one up (useradd gives a subordinate range; the tests may add what systemd
// and udev would: a delegated cgroup v2 subtree, a /dev/net/tun the user may
// open), and strata run as that user. Everything is undone by remove().

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** bin/strata of this checkout, from the sources (tests) or from dist/ (benchmarks). */
function findStrataBin(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'bin', 'strata');
  }
  throw new Error(`no package.json above ${__dirname}`);
}
const strataBin = findStrataBin();
const unified = '/sys/fs/cgroup/unified';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class TestUser {
  readonly home: string;
  readonly uid: number;
  readonly gid: number;
  /** A cgroup v2 subtree chowned to the user (systemd's Delegate=yes), when asked for. */
  readonly delegated?: string;
  /**
   * A tun device node of mode 0666 (what a desktop's udev rule gives /dev/net/tun), when asked for:
   * bound over /dev/net/tun in the mount namespace of each command run as the user, so the host's
   * own node keeps its mode even when a run is killed or two runs overlap.
   */
  readonly tun?: string;

  private constructor(
    readonly name: string,
    base: string,
    options: { subordinate: boolean; delegate: boolean; tun: boolean },
  ) {
    this.home = path.join(base, name);
    const add = spawnSync('useradd', ['-M', '-d', this.home, '-s', '/usr/sbin/nologin', name], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`useradd ${name}: ${add.stderr}`);
    if (!options.subordinate) {
      // useradd gave a range (login.defs SUB_UID_COUNT): this user is one whose administrator did not.
      const first = this.subordinateBase();
      const range = `${first}-${first + 65535}`;
      const del = spawnSync('usermod', ['--del-subuids', range, '--del-subgids', range, name], { encoding: 'utf8' });
      if (del.status !== 0) throw new Error(`usermod ${name}: ${del.stderr}`);
    }
    this.uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout);
    this.gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout);
    fs.mkdirSync(this.home, { mode: 0o700 });
    fs.chownSync(this.home, this.uid, this.gid);
    if (options.tun) {
      this.tun = path.join(base, `${name}.tun`);
      const node = spawnSync('mknod', ['-m', '0666', this.tun, 'c', '10', '200'], { encoding: 'utf8' });
      if (node.status !== 0) throw new Error(`mknod ${this.tun}: ${node.stderr}`);
    }
    if (options.delegate) {
      this.delegated = path.join(ownV2Cgroup(), `strata-test-${name}`);
      fs.mkdirSync(this.delegated);
      for (const f of ['', 'cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads']) fs.chownSync(path.join(this.delegated, f), this.uid, this.gid);
    }
  }

  static create(name: string, base: string, options: { subordinate?: boolean; delegate?: boolean; tun?: boolean } = {}): TestUser {
    return new TestUser(name, base, { subordinate: options.subordinate ?? true, delegate: options.delegate ?? false, tun: options.tun ?? false });
  }

  /** The user's first subordinate uid (what the namespace's uid 1 is on the host). */
  subordinateBase(): number {
    const line = fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${this.name}:`));
    if (!line) throw new Error(`no subordinate range for ${this.name}`);
    return Number(line.split(':')[1]);
  }

  /** argv running `command` as this user, in the delegated cgroup when `inCgroup` (root places it there, as a login would). */
  argv(command: string[], inCgroup: boolean, env: Record<string, string> = {}): string[] {
    const vars = Object.entries({ PATH: `${path.dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: this.home, ...env }).map(([k, v]) => `${k}=${v}`);
    let argv = ['setpriv', '--reuid', String(this.uid), '--regid', String(this.gid), '--clear-groups', 'env', '-i', ...vars, ...command];
    if (inCgroup && this.delegated) argv = ['sh', '-c', `echo $$ > '${this.delegated}/cgroup.procs' && exec "$@"`, 'sh', ...argv];
    if (this.tun) argv = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /dev/net/tun && exec "$@"', this.tun, ...argv];
    return argv;
  }

  /** bin/strata as this user; in the delegated cgroup unless told otherwise. */
  strata(args: string[], options: { inCgroup?: boolean; env?: Record<string, string>; timeout?: number } = {}): Result {
    const [cmd, ...rest] = this.argv([strataBin, ...args], options.inCgroup ?? true, options.env);
    const r: SpawnSyncReturns<string> = spawnSync(cmd, rest, { encoding: 'utf8', timeout: options.timeout ?? 60_000, cwd: '/' });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** The keeper of the user's namespace (strata-shim userns), if one runs. */
  keeperPid(): number | undefined {
    try {
      return Number(fs.readFileSync(`/tmp/strata-${this.uid}/userns.pid`, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Removes the user's containers, namespace keeper, cgroup, files and the user; each step whatever the others did. */
  remove(): void {
    const ids = this.strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) this.strata(['rm', '-f', ...ids]);
    const keeper = this.keeperPid();
    if (keeper) {
      try {
        process.kill(keeper, 'SIGKILL');
      } catch {
        // gone already
      }
      // userdel refuses a user with a live process.
      for (let i = 0; i < 100 && fs.existsSync(`/proc/${keeper}`); i++) pause(50);
    }
    spawnSync('userdel', [this.name]);
    if (this.delegated) removeCgroupTree(this.delegated);
    fs.rmSync(`/tmp/strata-${this.uid}`, { recursive: true, force: true });
    fs.rmSync(this.home, { recursive: true, force: true });
    if (this.tun) fs.rmSync(this.tun, { force: true });
  }
}

/** The test process's own cgroup in the unified hierarchy (the delegated subtree goes beneath it, never elsewhere). */
function ownV2Cgroup(): string {
  const line = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  return path.join(unified, line ? line.slice(3) : '/');
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** rmdir, depth first, waiting (up to 5 s) for killed processes to leave. */
function removeCgroupTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
  for (let i = 0; ; i++) {
    try {
      fs.rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || i >= 100) throw err;
      pause(50);
    }
  }
}

/** A base dir the test users' homes can sit in (each home is 0700 and its user's). */
export function usersBase(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-users-'));
  fs.chmodSync(base, 0o755);
  return base;
}

