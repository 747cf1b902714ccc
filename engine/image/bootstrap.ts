// The starter image, made offline from this machine. With a busybox on the
// search path the root filesystem is busybox plus a hard link per applet, as
// in the official busybox image (a dynamic busybox brings its loader and
// libraries); otherwise it is the host's own shell and core programs with
// exactly the shared libraries and loader they need, and a one-line warning
// says what that image lacks and how to get the full one. Either way it gets
// /etc/passwd and /etc/group and the usual top-level directories, and Cmd ["sh"].
//
// The layer tar is deterministic (sorted entries, fixed times, times taken
// from the source files), so bootstrapping the same machine twice gives the
// same layer and the same image id. It is imported through the same path as
// `import` (the layer store unpacks it like any other tar).

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { StarterSource } from '../api';
import { unavailable } from '../errors';
import type { Store } from '../store/store';
import { formatTimestamp, hostArchitecture } from '../oci/config';
import { parseElf } from './elf';
import { collectHostPrograms, type HostFile } from './hostPrograms';
import { importLayer } from './import';
import { tagName } from '../oci/reference';

export const defaultStarterReference = 'starter:latest';
const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Where programs are looked for when the engine's own PATH is unset. */
const fallbackSearchPath = defaultPath.slice('PATH='.length);

/** What the README's examples and the tests run; a starter image without one of them is refused. */
const requiredPrograms = ['sh', 'true', 'touch', 'find', 'ls', 'cat', 'echo', 'sleep', 'id'];
/** Taken too when this machine has them: enough to look around a container. */
const optionalPrograms = [
  'false', 'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'chmod', 'env', 'hostname', 'ps', 'grep', 'head', 'tail', 'wc',
  'sort', 'uname', 'date', 'pwd', 'stat', 'printf', 'readlink', 'du', 'kill', 'test', 'sed', 'tr', 'cut', 'xargs',
  'basename', 'dirname', 'seq', 'whoami', 'tee', 'df',
];
const hostProgramNames = [...requiredPrograms, ...optionalPrograms];
export const busyboxPackageFix = 'sudo apt-get install busybox-static';


export interface BootstrapOptions {
  reference?: string;
  /** Force a source: 'busybox' fails without a busybox; 'host' skips it. Default: busybox when there is one. */
  from?: 'busybox' | 'host';
  /** Directories (PATH syntax) to find busybox and the host programs in; default the engine's PATH. */
  searchPath?: string;
}

/** One entry of the root filesystem, by path relative to / ("bin/sh"). */
type RootfsEntry =
  | { name: string; type: 'directory'; mode: number }
  | { name: string; type: 'file'; mode: number; content: Buffer }
  | { name: string; type: 'link'; target: string }; // hard link to an earlier file

interface RootfsPlan {
  entries: RootfsEntry[];
  createdMs: number;
  createdBy: string;
  source: StarterSource;
}

export async function bootstrapImage(
  store: Store,
  opts: BootstrapOptions = {},
): Promise<{ id: string; reference: string; warning?: string }> {
  const reference = tagName(opts.reference ?? defaultStarterReference);
  const plan = rootfsPlan(opts);
  const created = formatTimestamp(plan.createdMs);
  const input = packRootfs(plan.entries, new Date(Math.floor(plan.createdMs / 1000) * 1000));
  const { id } = await importLayer(store, input, reference, (diffId) => ({
    architecture: hostArchitecture(),
    os: 'linux',
    created,
    config: { Env: [defaultPath], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: plan.createdBy }],
  }));
  return { id, reference, ...(plan.source.warning ? { warning: plan.source.warning } : {}) };
}

/** What `bootstrap` would make here, without making it (the app says so before the user presses). */
export function starterSource(opts: Pick<BootstrapOptions, 'from' | 'searchPath'> = {}): StarterSource {
  const found = locate(opts);
  return found.busybox ? busyboxSource(found.busybox) : hostSource(collectHostPrograms(hostProgramNames, found.dirs).programs);
}

function rootfsPlan(opts: BootstrapOptions): RootfsPlan {
  const found = locate(opts);
  return found.busybox ? busyboxRootfs(found.busybox) : hostRootfs(found.dirs);
}

/** The search directories, and the busybox in them unless the host's programs were asked for. */
function locate(opts: Pick<BootstrapOptions, 'from' | 'searchPath'>): { dirs: string[]; busybox?: string } {
  const dirs = (opts.searchPath ?? process.env.PATH ?? fallbackSearchPath).split(':').filter((d) => path.isAbsolute(d));
  const busybox = opts.from === 'host' ? undefined : findProgram('busybox', dirs);
  if (!busybox && opts.from === 'busybox') throw unavailable(`no busybox on this machine (install it: ${busyboxPackageFix})`);
  return { dirs, busybox };
}

function busyboxSource(file: string): StarterSource {
  const hostPath = fs.realpathSync(file);
  const linked = parseElf(fs.readFileSync(hostPath))?.interpreter ? 'dynamic, with its libraries' : 'static';
  return { from: 'busybox', detail: `busybox from ${hostPath} (${linked})` };
}

function hostSource(programs: readonly HostFile[]): StarterSource {
  const names = programs.map((p) => path.basename(p.imagePath));
  const lacking = requiredPrograms.filter((n) => !names.includes(n));
  if (lacking.length > 0) {
    throw unavailable(
      `cannot make the starter image: no busybox, and this machine lacks ${lacking.join(', ')} (install busybox: ${busyboxPackageFix})`,
    );
  }
  return {
    from: 'host',
    detail: `${names.length} of this machine's programs: ${names.join(' ')}`,
    warning:
      `busybox is not installed, so the starter image holds only ${names.length} of this machine's own programs ` +
      `instead of busybox's hundreds of tools; for the full image run: ${busyboxPackageFix} && strata bootstrap`,
  };
}

function busyboxRootfs(file: string): RootfsPlan {
  const run = (arg: string) => execFileSync(file, [arg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const version = /BusyBox v(\S+)/.exec(run('--help'))?.[1] ?? 'unknown';
  // linuxrc is the initrd entry point, meaningless in a container.
  const applets = run('--list-full')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'bin/busybox' && l !== 'linuxrc' && isSafeRelative(l));
  const hostPath = fs.realpathSync(file);
  const stat = fs.statSync(hostPath);
  // A dynamic busybox (Debian's `busybox` package) brings its loader and libraries, as any host program.
  const { libraries } = collectHostPrograms([path.basename(file)], [path.dirname(file)]);
  const entries: RootfsEntry[] = [
    ...baseEntries(),
    { name: 'bin/busybox', type: 'file', mode: stat.mode & 0o777, content: fs.readFileSync(hostPath) },
    ...libraryEntries(libraries, new Map()),
    ...applets.map((name): RootfsEntry => ({ name, type: 'link', target: 'bin/busybox' })),
  ];
  return {
    entries,
    createdMs: stat.mtimeMs,
    // The real path, not the PATH entry it was found through: the same machine gives the same image id whatever the PATH.
    createdBy: `strata bootstrap: busybox ${version} from ${hostPath}`,
    source: busyboxSource(file),
  };
}

function hostRootfs(dirs: readonly string[]): RootfsPlan {
  const { programs, libraries } = collectHostPrograms(hostProgramNames, dirs);
  const source = hostSource(programs);
  // The same host file under two names (the loader, found by PT_INTERP and by DT_NEEDED) is stored once.
  const firstCopy = new Map<string, string>();
  const entries: RootfsEntry[] = [...baseEntries(), ...libraryEntries([...programs, ...libraries], firstCopy)];
  let createdMs = 0;
  for (const hostPath of firstCopy.keys()) createdMs = Math.max(createdMs, fs.statSync(hostPath).mtimeMs);
  const names = programs.map((p) => path.basename(p.imagePath)).join(' ');
  return { entries, createdMs, createdBy: `strata bootstrap: host programs ${names} with their shared libraries`, source };
}

/** Host files as entries: each host file's bytes once, later names for it as hard links. */
function libraryEntries(files: readonly HostFile[], firstCopy: Map<string, string>): RootfsEntry[] {
  const entries: RootfsEntry[] = [];
  for (const f of files) {
    const name = f.imagePath.slice(1);
    const earlier = firstCopy.get(f.hostPath);
    if (earlier) {
      entries.push({ name, type: 'link', target: earlier });
      continue;
    }
    firstCopy.set(f.hostPath, name);
    entries.push({ name, type: 'file', mode: f.mode, content: fs.readFileSync(f.hostPath) });
  }
  return entries;
}

/** The first regular file NAME in the directories, as a shell's PATH lookup finds it. */
function findProgram(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function baseEntries(): RootfsEntry[] {
  const dirs: Array<[string, number]> = [
    ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o755], ['root', 0o700],
    ['sbin', 0o755], ['sys', 0o755], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['var', 0o755],
  ];
  return [
    ...dirs.map(([name, mode]): RootfsEntry => ({ name, type: 'directory', mode })),
    {
      name: 'etc/passwd',
      type: 'file',
      mode: 0o644,
      content: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'),
    },
    { name: 'etc/group', type: 'file', mode: 0o644, content: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
  ];
}

function isSafeRelative(name: string): boolean {
  return !path.isAbsolute(name) && name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * The entries as one tar, in a fixed order: directories (every parent
 * included), then files, then hard links (which must follow their target),
 * each group sorted; owner root, one mtime.
 */
function packRootfs(entries: RootfsEntry[], mtime: Date): Readable {
  const dirs = new Map<string, number>();
  for (const e of entries) {
    if (e.type === 'directory') dirs.set(e.name, e.mode);
    for (let d = path.posix.dirname(e.name); d !== '.'; d = path.posix.dirname(d)) if (!dirs.has(d)) dirs.set(d, 0o755);
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const files = entries.filter((e) => e.type === 'file').sort(byName);
  const links = entries.filter((e) => e.type === 'link').sort(byName);
  const ordered: RootfsEntry[] = [
    ...[...dirs].map(([name, mode]): RootfsEntry => ({ name, type: 'directory', mode })).sort(byName),
    ...files,
    ...links,
  ];

  // A hard link's header carries its target's mode: Docker applies it to the file.
  const modeOf = new Map(files.map((f) => [f.name, f.type === 'file' ? f.mode : 0o644]));
  const pack = tar.pack();
  const common = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime };
  const write = (e: RootfsEntry) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type === 'directory') pack.entry({ ...common, name: `${e.name}/`, type: 'directory', mode: e.mode }, done);
      else if (e.type === 'file') pack.entry({ ...common, name: e.name, type: 'file', mode: e.mode, size: e.content.length }, e.content, done);
      else pack.entry({ ...common, name: e.name, type: 'link', linkname: e.target, mode: modeOf.get(e.target) ?? 0o644 }, done);
    });
  (async () => {
    for (const e of ordered) await write(e);
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  return Readable.from(pack);
}
