// Cgroups for containers. Each container gets its own cgroup in every
// hierarchy the engine can use, created beneath the cgroup the engine process
// itself is in (a `strata` child there), never at a hierarchy's root: the
// processes of this machine must stay inside the cgroups they started in.
//
// Hybrid machines have both cgroup v1 controllers and a v2 hierarchy; a
// container joins all of them, and pause uses one freezer: v1 `freezer.state`
// or v2 `cgroup.freeze`. $STRATA_FREEZER=v1|v2 picks one; otherwise v1 when
// its freezer is mounted, else v2.
//
// A rootless engine may use only a cgroup v2 subtree delegated to its user
// (rootless.ts); without one its containers have no cgroups ('none'), and
// pause says so instead of pretending.

import fs from 'node:fs';
import path from 'node:path';
import { unavailable } from '../errors';
import { delegationHelp, engineMode, mayUseCgroup } from '../rootless';

export type FreezerKind = 'v1' | 'v2' | 'none';

interface Hierarchy {
  /** 'v2' or the v1 controllers of this mount, e.g. 'freezer' or 'cpu,cpuacct' ('name=systemd' for a named one). */
  controllers: string;
  /** Where the engine's own cgroup is, as a host path. */
  ownDir: string;
}

export interface CgroupLayout {
  hierarchies: Hierarchy[];
  /** The freezer new containers use ($STRATA_FREEZER is read at every start). */
  freezer: FreezerKind;
}

let cached: Hierarchy[] | undefined;

/** The hierarchies mounted on this machine and the engine's place in each. */
export function cgroupLayout(): CgroupLayout {
  cached ??= findHierarchies();
  return { hierarchies: cached, freezer: chooseFreezer(cached) };
}

/** The engine's own cgroup in the v1 hierarchy of `controller`, or ('v2') in the unified one. */
export function ownCgroupDir(controller: string): string | undefined {
  const { hierarchies } = cgroupLayout();
  return hierarchies.find((h) => (controller === 'v2' ? h.controllers === 'v2' : h.controllers.split(',').includes(controller)))?.ownDir;
}

function findHierarchies(): Hierarchy[] {
  const own = new Map<string, string>(); // controllers ('' for v2) -> path of /proc/self/cgroup
  for (const line of fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (m) own.set(m[1], m[2]);
  }
  const hierarchies: Hierarchy[] = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (sep < 0) continue;
    const fstype = parts[sep + 1];
    const mountPoint = parts[4];
    const root = parts[3];
    if (fstype === 'cgroup2') {
      const p = own.get('');
      if (p !== undefined) hierarchies.push({ controllers: 'v2', ownDir: hostPath(mountPoint, root, p) });
    } else if (fstype === 'cgroup') {
      const opts = parts[sep + 3].split(',');
      const controllers = [...own.keys()].find((k) => k !== '' && k.split(',').every((c) => opts.includes(c)));
      // Named hierarchies (name=systemd) have no controller, yet runc and crun put a container there too
      // (and remove only its leaf): so does the engine, which then removes the `strata` parent as well.
      if (!controllers) continue;
      hierarchies.push({ controllers, ownDir: hostPath(mountPoint, root, own.get(controllers)!) });
    }
  }
  return hierarchies.filter((h) => mayUseCgroup(h.ownDir, h.controllers));
}

function chooseFreezer(hierarchies: Hierarchy[]): FreezerKind {
  const hasV1Freezer = hierarchies.some((h) => h.controllers.split(',').includes('freezer'));
  const hasV2 = hierarchies.some((h) => h.controllers === 'v2');
  const wanted = process.env.STRATA_FREEZER;
  if ((wanted === 'v1' || wanted === 'v2') && hierarchies.length > 0) {
    if ((wanted === 'v1' && !hasV1Freezer) || (wanted === 'v2' && !hasV2)) {
      throw unavailable(`STRATA_FREEZER=${wanted}, but this machine has no cgroup ${wanted} freezer`);
    }
    return wanted;
  }
  if (hierarchies.length === 0 && engineMode().rootless) return 'none';
  if (!hasV1Freezer && !hasV2) throw unavailable('no cgroup freezer on this machine (neither v1 freezer nor cgroup v2)');
  return hasV1Freezer ? 'v1' : 'v2';
}

/** The host path of cgroup `p` in a hierarchy mounted at `mountPoint` showing `root`. */
function hostPath(mountPoint: string, root: string, p: string): string {
  const rel = root === '/' ? p : path.relative(root, p);
  return path.join(mountPoint, rel.startsWith('..') ? '' : rel);
}

/**
 * A container's cgroups as made at its start. They are kept beside the
 * container (cgroups.json) because another engine process may sit in other
 * cgroups itself and so could not derive these paths again.
 */
export interface ContainerCgroups {
  dirs: string[];
  kind: FreezerKind;
  freezerDir: string;
}

/** Where the container's cgroups go, in every hierarchy, beneath the engine's own (nothing is made yet). */
export function planCgroups(id: string): ContainerCgroups {
  const { hierarchies, freezer } = cgroupLayout();
  if (freezer === 'none') return { dirs: [], kind: 'none', freezerDir: '' };
  const dirs = hierarchies.map((h) => path.join(h.ownDir, 'strata', id));
  const at = hierarchies.findIndex((h) => (freezer === 'v2' ? h.controllers === 'v2' : h.controllers.split(',').includes('freezer')));
  return { dirs, kind: freezer, freezerDir: dirs[at] };
}

export function makeCgroups(cg: ContainerCgroups): void {
  for (const d of cg.dirs) {
    mkdirBeside(d);
    if (fs.existsSync(path.join(d, 'cpuset.mems')) && !fs.existsSync(path.join(d, 'cgroup.controllers'))) inheritCpuset(d);
  }
}

/** Creates the container's cgroup in every hierarchy, beneath the engine's own. */
export function createCgroups(id: string): ContainerCgroups {
  const cg = planCgroups(id);
  makeCgroups(cg);
  return cg;
}

/**
 * A new v1 cpuset cgroup (v2 ones inherit by themselves) has no CPUs and no memory nodes, and takes no
 * process until it has: it gets its parent's (the parent's first, up to the
 * engine's own cgroup, which has them).
 */
function inheritCpuset(dir: string): void {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if (fs.readFileSync(path.join(dir, file), 'utf8').trim() !== '') continue;
    const parent = path.dirname(dir);
    inheritCpuset(parent);
    fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(parent, file), 'utf8').trim());
  }
}

/** mkdir -p, again if another container's removal took the shared `strata` parent meanwhile. */
function mkdirBeside(dir: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw err;
    }
  }
}

export function saveCgroups(file: string, cg: ContainerCgroups): void {
  fs.writeFileSync(file, JSON.stringify(cg));
}

export function loadCgroups(file: string): ContainerCgroups | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ContainerCgroups;
  } catch {
    return undefined;
  }
}

/** Removes the container's cgroups (they must be empty), then the `strata` parents if now empty. */
export async function removeCgroups(cg: ContainerCgroups | undefined): Promise<void> {
  for (const d of cg?.dirs ?? []) {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.rmdirSync(d);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        // EBUSY while the last processes are being reaped.
        if (code !== 'EBUSY' || attempt > 100) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    try {
      fs.rmdirSync(path.dirname(d));
    } catch {
      // Another container still has its cgroup there.
    }
  }
}

/** Host pids of every process in the container's cgroup. */
export function cgroupPids(cg: ContainerCgroups): number[] {
  return pidsInCgroup(cg.freezerDir);
}

/** Host pids of every process in one cgroup directory (none when it is gone). */
export function pidsInCgroup(dir: string): number[] {
  try {
    return fs
      .readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cgroup file the engine wrote and the value it wrote (for the kernel steps). */
export interface CgroupFileWrite {
  file: string;
  value: string;
}

/** Freezes every process of the container; no signal is sent. Resolves once frozen, with the write that did it. */
export async function freeze(cg: ContainerCgroups): Promise<CgroupFileWrite> {
  const { freezerDir: dir, kind } = cg;
  if (kind === 'none') throw unavailable(`cannot pause: this rootless engine has no cgroup freezer, as no cgroup v2 subtree is delegated to your user; ${delegationHelp}`);
  if (kind === 'v1') {
    const file = path.join(dir, 'freezer.state');
    // FREEZING means some task has not stopped yet: write FROZEN again until it sticks.
    for (let i = 0; i < 1000; i++) {
      fs.writeFileSync(file, 'FROZEN');
      if (fs.readFileSync(file, 'utf8').trim() === 'FROZEN') return { file, value: 'FROZEN' };
      await sleep(1);
    }
  } else {
    const file = path.join(dir, 'cgroup.freeze');
    fs.writeFileSync(file, '1');
    for (let i = 0; i < 1000; i++) {
      if (/^frozen 1$/m.test(fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8'))) return { file, value: '1' };
      await sleep(1);
    }
  }
  throw unavailable(`cgroup ${kind} freezer did not freeze ${dir}`);
}

/** Thaws the container's processes; returns the write, or undefined where there is no freezer (nothing was frozen). */
export function thaw(cg: ContainerCgroups): CgroupFileWrite | undefined {
  const { freezerDir: dir, kind } = cg;
  if (kind === 'none') return undefined; // never frozen
  const write = kind === 'v1' ? { file: path.join(dir, 'freezer.state'), value: 'THAWED' } : { file: path.join(dir, 'cgroup.freeze'), value: '0' };
  fs.writeFileSync(write.file, write.value);
  return write;
}
