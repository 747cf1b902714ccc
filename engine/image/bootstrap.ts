// The starter image, made offline from this machine. With a static busybox
// (/bin/busybox without a PT_INTERP segment) the root filesystem is busybox
// plus a hard link per applet, as in the official busybox image; otherwise it
// is a handful of the host's own programs with exactly the shared libraries
// and loader they need. Either way it gets /etc/passwd and /etc/group and the
// usual top-level directories, and Cmd ["sh"].
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
import { unavailable } from '../errors';
import type { Store } from '../store/store';
import { formatTimestamp, hostArchitecture } from './config';
import { parseElf } from './elf';
import { collectHostPrograms, type HostFile } from './hostPrograms';
import { importLayer } from './import';
import { tagName } from './reference';

export const defaultStarterReference = 'starter:latest';
const busyboxPath = '/bin/busybox';
const hostProgramNames = ['sh', 'ls', 'cat', 'echo', 'mkdir', 'rm', 'touch', 'sleep', 'env', 'id', 'hostname', 'ps'];
const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BootstrapOptions {
  reference?: string;
  /** Force a source: 'busybox' fails without a static busybox; 'host' skips it. Default: busybox when possible. */
  from?: 'busybox' | 'host';
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
}

export async function bootstrapImage(store: Store, opts: BootstrapOptions = {}): Promise<{ id: string; reference: string }> {
  const reference = tagName(opts.reference ?? defaultStarterReference);
  const busybox = opts.from === 'host' ? null : staticBusybox();
  if (opts.from === 'busybox' && !busybox) throw unavailable(`no static busybox at ${busyboxPath}`);
  const plan = busybox ? busyboxRootfs(busybox) : hostRootfs();
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
  return { id, reference };
}

/** /bin/busybox's bytes when it is a static ELF program, else null. */
function staticBusybox(): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(busyboxPath);
  } catch {
    return null;
  }
  const elf = parseElf(bytes);
  return elf && !elf.interpreter ? bytes : null;
}

function busyboxRootfs(binary: Buffer): RootfsPlan {
  const run = (arg: string) => execFileSync(busyboxPath, [arg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const version = /BusyBox v(\S+)/.exec(run('--help'))?.[1] ?? 'unknown';
  // linuxrc is the initrd entry point, meaningless in a container.
  const applets = run('--list-full')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'bin/busybox' && l !== 'linuxrc' && isSafeRelative(l));
  const stat = fs.statSync(busyboxPath);
  const entries: RootfsEntry[] = [
    ...baseEntries(),
    { name: 'bin/busybox', type: 'file', mode: stat.mode & 0o777, content: binary },
    ...applets.map((name): RootfsEntry => ({ name, type: 'link', target: 'bin/busybox' })),
  ];
  return { entries, createdMs: stat.mtimeMs, createdBy: `strata bootstrap: busybox ${version} from ${busyboxPath}` };
}

function hostRootfs(): RootfsPlan {
  const { programs, libraries } = collectHostPrograms(hostProgramNames);
  if (!programs.some((p) => p.imagePath === '/bin/sh')) {
    throw unavailable('cannot make the starter image: this machine has neither a static busybox nor /bin/sh');
  }
  const entries: RootfsEntry[] = [...baseEntries()];
  // The same host file under two names (the loader, found by PT_INTERP and by DT_NEEDED) is stored once.
  const firstCopy = new Map<string, string>();
  let createdMs = 0;
  for (const f of [...programs, ...libraries] as HostFile[]) {
    const name = f.imagePath.slice(1);
    const earlier = firstCopy.get(f.hostPath);
    if (earlier) {
      entries.push({ name, type: 'link', target: earlier });
      continue;
    }
    firstCopy.set(f.hostPath, name);
    entries.push({ name, type: 'file', mode: f.mode, content: fs.readFileSync(f.hostPath) });
    createdMs = Math.max(createdMs, fs.statSync(f.hostPath).mtimeMs);
  }
  const names = programs.map((p) => path.basename(p.imagePath)).join(' ');
  return { entries, createdMs, createdBy: `strata bootstrap: host programs ${names} with their shared libraries` };
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
