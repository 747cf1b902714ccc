// `strata system check [--repair] [--verify-content]`: the store (store/
// check.ts), the containers' files, and what the kernel holds for them. A
// killed CLI or app, a killed monitor, a power cut: afterwards every
// container row has its files and every container dir its row; no monitor
// runs a container the store does not say runs, no container runs without
// its monitor; no cgroup is left of a container that does not run; nothing
// is mounted under the engine's root on the host but a running container's;
// no network is left wired that no monitor looks after (network/check.ts).
// Only this root's own things are looked at: other roots' containers on this
// machine (another STRATA_ROOT) are never touched.
//
// What a writer still alive is doing is left alone: container rows and
// files are looked at under the write lock (create makes both in one
// transaction), a start in progress says so in its run dir (`starting`),
// and a layer waiting for its image names its writer.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isLive } from '../api';
import { checkStore, Findings, type Finding } from '../store/check';
import type { ContainerRow } from '../store/containers';
import { procStat } from '../store/liveness';
import type { Store } from '../store/store';
import { loadCgroups, pidsInCgroup, removeCgroups } from './cgroups';
import { containerEvent, type RuntimeContext } from './context';
import { cgroupsOf, recordExit, removeContainer } from './lifecycle';
import { reconcile, startInProgress } from './reconcile';
import { isShimAlive, processRunning, readExitFile, waitShimGone } from './shim';

const hexId = /^[0-9a-f]{64}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The monitors of this root's containers that run now: pid → container id (from their command line). */
function monitors(ctx: RuntimeContext): Map<number, string> {
  const found = new Map<number, string>();
  const prefix = ctx.paths.containers + path.sep;
  for (const name of entries('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const argv = readText(`/proc/${name}/cmdline`).split('\0');
    if (!argv[0]?.endsWith('strata-shim') || argv[1] !== 'start' || !sessionLeader(name)) continue;
    const bundle = argv[argv.indexOf('--bundle') + 1] ?? '';
    const id = bundle.startsWith(prefix) ? bundle.slice(prefix.length) : '';
    if (hexId.test(id)) found.set(Number(name), id);
  }
  return found;
}

/**
 * A monitor leads its own session (it detached with setsid). Its starter, about to exit once the start
 * is reported, and the processes it forks without exec (the network's setup) carry the same command
 * line but lead none: they are not monitors, and a check must not stop them as strays.
 */
function sessionLeader(pid: string): boolean {
  return procStat(Number(pid))?.[3] === pid;
}

/** Kills every process in the container's cgroups, and waits for them to go. */
async function killCgroupProcesses(dirs: string[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const pids = dirs.flatMap(pidsInCgroup);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await sleep(20);
  }
  throw new Error(`processes of ${dirs[0]} did not end`);
}

/** A monitor nothing in the store stands for: its container is killed; the monitor then cleans up and goes. */
async function stopMonitor(ctx: RuntimeContext, pid: number, id: string): Promise<void> {
  const init = Number(readText(path.join(ctx.paths.runDir(id), 'init.pid')).trim());
  const cg = loadCgroups(path.join(ctx.paths.containerDir(id), 'cgroups.json'));
  if (cg) await killCgroupProcesses(cg.dirs);
  else if (init > 0) process.kill(init, 'SIGKILL');
  if (!(await waitShimGone(pid))) process.kill(pid, 'SIGKILL');
}

async function checkProcesses(ctx: RuntimeContext, f: Findings): Promise<void> {
  for (const [pid, id] of monitors(ctx)) {
    const row = ctx.containers.get(id);
    if (row && isLive(row.state) && row.monitorPid === pid) continue;
    if (startInProgress(ctx, id) || readExitFile(ctx.paths.runDir(id))) continue; // starting, or about to go
    const who = row ? `container ${row.name}, which is ${row.state}` : `container ${id.slice(0, 12)}, which the store does not know`;
    await f.addAsync(`monitor ${pid} runs ${who}`, 'the container and its monitor are stopped', async () => {
      await stopMonitor(ctx, pid, id);
      if (row && isLive(row.state)) await recordExit(ctx, id, row.monitorPid, undefined);
    });
  }
  for (const row of ctx.containers.list(false)) {
    if (!isLive(row.state) || isShimAlive(row.monitorPid) || !processRunning(row.pid)) continue;
    await f.addAsync(`container ${row.name} runs without its monitor (pid ${row.pid})`, 'the container is stopped', async () => {
      await killCgroupProcesses(cgroupsOf(ctx, row.id)?.dirs ?? []);
      await recordExit(ctx, row.id, row.monitorPid, undefined);
    });
  }
}

/** Rows and dirs, under the write lock: the fixes found here run after it (they may wait for processes). */
function findFileProblems(ctx: RuntimeContext, f: Findings): (() => Promise<void>)[] {
  const later: (() => Promise<void>)[] = [];
  const rows = ctx.containers.list(true);
  for (const row of rows) {
    const dir = ctx.paths.containerDir(row.id);
    if (row.state === 'removing') {
      later.push(() => f.addAsync(`container ${row.name} was being removed when its remover stopped`, 'the removal is finished', () => removeContainer(ctx, row.id, true)));
      continue;
    }
    const missing = ['upper', 'work', 'init', 'config.json'].filter((n) => !fs.existsSync(path.join(dir, n)));
    if (missing.length === 0) continue;
    const what = `container ${row.name} has no ${missing.join(', ')} in containers/${row.id}`;
    if (isLive(row.state)) f.add(`${what}, yet it runs: stop and remove it`);
    else later.push(() => f.addAsync(`${what}: its create or a removal stopped half way`, 'the container is removed', () => dropContainer(ctx, row)));
  }
  const known = new Set(rows.map((r) => r.id));
  for (const name of entries(ctx.paths.containers)) {
    if (!hexId.test(name) || known.has(name)) continue;
    const dir = path.join(ctx.paths.containers, name);
    later.push(() => f.addAsync(`containers/${name} belongs to no container: a create stopped half way, or its row was removed`, 'it is removed', async () => fs.rmSync(dir, { recursive: true, force: true })));
  }
  return later;
}

/** A container whose files are gone: its row goes too (nothing of it runs: it is not live). */
async function dropContainer(ctx: RuntimeContext, row: ContainerRow): Promise<void> {
  fs.rmSync(ctx.paths.runDir(row.id), { recursive: true, force: true });
  await removeCgroups(cgroupsOf(ctx, row.id));
  fs.rmSync(ctx.paths.containerDir(row.id), { recursive: true, force: true });
  if (ctx.containers.remove(row.id)) containerEvent(ctx, row, 'destroy');
}

async function checkCgroups(ctx: RuntimeContext, f: Findings): Promise<void> {
  for (const row of ctx.containers.list(true)) {
    if (isLive(row.state) || startInProgress(ctx, row.id)) continue;
    const cg = cgroupsOf(ctx, row.id);
    const left = (cg?.dirs ?? []).filter((d) => fs.existsSync(d));
    if (left.length === 0) continue;
    await f.addAsync(`container ${row.name} is ${row.state}, yet its cgroups remain (${left.join(', ')})`, 'the cgroups are removed', async () => {
      await killCgroupProcesses(left);
      await removeCgroups(cg);
    });
  }
}

interface MountPoint {
  point: string;
  fstype: string;
}

/** The host's mounts (mountinfo escapes spaces and the like as \040), deepest first. */
function hostMounts(): MountPoint[] {
  const unescape = (p: string) => p.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  const mounts: MountPoint[] = [];
  for (const line of readText('/proc/self/mountinfo').split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    if (sep > 4) mounts.push({ point: unescape(fields[4]), fstype: fields[sep + 1] });
  }
  return mounts.sort((a, b) => b.point.length - a.point.length);
}

/**
 * What the engine itself may have mounted on the host and left: anything in
 * a container's run dir or container dir, and any overlay under the root. A
 * disk the user mounted under the root (layers/ on its own filesystem, the
 * root itself) is theirs.
 */
function checkMounts(ctx: RuntimeContext, f: Findings): void {
  const live = ctx.containers.list(false).filter((r) => isLive(r.state)).map((r) => ctx.paths.runDir(r.id));
  const under = (p: string, dir: string) => p.startsWith(dir + path.sep);
  const inContainerDir = (p: string) => [ctx.paths.runRoot, ctx.paths.containers].some((d) => under(p, d) && hexId.test(p.slice(d.length + 1).split(path.sep)[0]));
  for (const { point, fstype } of hostMounts()) {
    if (!inContainerDir(point) && !(fstype === 'overlay' && under(point, ctx.paths.root))) continue;
    // A network namespace's file is the network check's: it tears the network down before it lets go.
    if (fstype === 'nsfs') continue;
    if (live.some((d) => under(point, d))) continue; // a running container's (its network namespace)
    f.add(`${point} is mounted on the host (${fstype}), and no running container holds it`, 'it is unmounted', () => {
      const r = spawnSync('umount', ['-l', point], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr.trim() || `umount exited ${r.status}`);
    });
  }
}

function checkRunDirs(ctx: RuntimeContext, f: Findings): void {
  for (const name of entries(ctx.paths.runRoot)) {
    if (!hexId.test(name) || ctx.containers.get(name)) continue;
    const dir = ctx.paths.runDir(name);
    if (startInProgress(ctx, name)) continue;
    // Its monitor, if one ran, was stopped above.
    f.add(`run/${name} belongs to no container`, 'it is removed', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
}

export interface CheckOptions {
  repair: boolean;
  verifyContent: boolean;
}

/** Everything `strata system check` looks at; with repair, every finding that can be repaired is. */
export async function systemCheck(ctx: RuntimeContext, store: Store, opts: CheckOptions): Promise<Finding[]> {
  const f = new Findings(opts.repair);
  // Exits and restarts the monitors wrote are recorded first: what is left after is wrong.
  await reconcile(ctx);
  // Networks a dead monitor left wired: every engine tears them down as it opens, and so does this, unasked.
  if (fs.existsSync(ctx.paths.netavarkConfig)) {
    const { checkNetworks } = await import('../network/check');
    for (const line of (await checkNetworks(ctx)).cleaned) f.repaired(line, 'torn down (an engine never keeps a network no monitor looks after)');
  }
  await checkProcesses(ctx, f);
  const later = ctx.containers.atomically(() => {
    checkStore(store, f, opts);
    return findFileProblems(ctx, f);
  });
  for (const fix of later) await fix();
  await checkCgroups(ctx, f);
  checkMounts(ctx, f);
  checkRunDirs(ctx, f);
  return f.list;
}
