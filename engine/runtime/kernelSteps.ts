// The launcher's records (run/<id>/kernel.jsonl) as the `kernel` steps of
// engine/api.ts: the values the launcher really used, with what only the
// engine knows beside them (the limits it wrote into each cgroup before the
// process joined, the host's own namespaces for comparison, the capability
// names of the masks) and the shell command that does the same by hand.
// Nothing here is reconstructed from the spec: a record says what was done.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CgroupFileWrite, FreezerKind } from './cgroups';
import { capabilityNames } from './capabilities';

export interface KernelRecord {
  step: string;
  detail: Record<string, string>;
}

/** What the engine did around the launcher at this start. */
export interface StartContext {
  /** The limits written before the first process joined, in order. */
  limits: readonly CgroupFileWrite[];
  /** linux.seccomp's origin: Docker's default profile, or a file the user gave. */
  seccompProfile: 'default' | 'custom';
  /** The process's argv, for exec's command. */
  args: readonly string[];
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,+@%^-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const shellLine = (words: readonly string[]) => words.map(shellWord).join(' ');

const unshareFlags: Record<string, string> = {
  CLONE_NEWNS: '--mount',
  CLONE_NEWUTS: '--uts',
  CLONE_NEWIPC: '--ipc',
  CLONE_NEWPID: '--pid',
  CLONE_NEWNET: '--net',
  CLONE_NEWCGROUP: '--cgroup',
  CLONE_NEWUSER: '--user',
};

/** The host's own namespace of each kind (the engine runs in the host's). */
function hostNamespaces(kinds: readonly string[]): Record<string, string> {
  const host: Record<string, string> = {};
  for (const kind of kinds) {
    try {
      host[`host.${kind}`] = fs.readlinkSync(`/proc/self/ns/${kind}`);
    } catch {
      // This kernel lacks the kind: nothing to compare with.
    }
  }
  return host;
}

/** The names of the capabilities set in a 64-bit mask written in hex. */
export function capabilitiesOfMask(hex: string): string[] {
  if (!/^[0-9a-f]{1,16}$/i.test(hex)) return [];
  const mask = BigInt(`0x${hex}`);
  return capabilityNames.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

const lowerCap = (cap: string) => cap.replace(/^CAP_/, '').toLowerCase();

function mountStep(d: Record<string, string>, root: string | undefined): Record<string, string> {
  if (d.type === 'overlay') {
    const options = Object.fromEntries(
      d.data.split(',').map((o) => {
        const eq = o.indexOf('=');
        return eq < 0 ? [o, ''] : [o.slice(0, eq), o.slice(eq + 1)];
      }),
    );
    const mount = shellLine(['mount', '-t', 'overlay', 'overlay', '-o', d.data, d.target]);
    return {
      ...d,
      lowerdir: options.lowerdir ?? '',
      upperdir: options.upperdir ?? '',
      workdir: options.workdir ?? '',
      options: d.data,
      command: d.cwd ? `cd ${shellWord(d.cwd)} && ${mount}` : mount,
    };
  }
  // Before pivot_root the container's paths are below the new root.
  const target = root ? path.join(root, d.target) : d.target;
  // mount(8) turns a bind's flags into the remount they need, as the launcher does.
  const options = (d.options ?? '').split(',').filter((o) => o !== '');
  if (d.type === 'bind') {
    const rest = options.filter((o) => o !== 'bind' && o !== 'rbind');
    const words = ['mount', options.includes('rbind') ? '--rbind' : '--bind', ...(rest.length ? ['-o', rest.join(',')] : []), d.source, target];
    return { ...d, command: shellLine(words) };
  }
  const words = ['mount', '-t', d.type, ...(d.options ? ['-o', d.options] : []), d.source, target];
  return { ...d, command: shellLine(words) };
}

/**
 * The launcher's records of one start as contract steps: `credentials`
 * becomes `capabilities`, each `cgroup` carries the limits written into
 * its directory, and each step its shell command where one exists.
 */
export function launcherSteps(records: readonly KernelRecord[], start: StartContext): KernelRecord[] {
  const pid = records.find((r) => r.step === 'clone')?.detail.pid ?? '';
  const root = records.find((r) => r.step === 'mount' && r.detail.type === 'overlay')?.detail.target;
  return records.map(({ step, detail: d }) => {
    switch (step) {
      case 'clone': {
        const flags = d.flags.split('|').map((f) => unshareFlags[f]).filter((f): f is string => f !== undefined);
        return { step, detail: { ...d, command: shellLine(['unshare', ...flags, '--fork']) } };
      }
      case 'namespaces':
        return { step, detail: { ...d, ...hostNamespaces(Object.keys(d)), command: `ls -l /proc/${pid}/ns` } };
      case 'cgroup': {
        const mine = start.limits.filter((w) => path.dirname(w.file) === d.path);
        const limits = Object.fromEntries(mine.map((w) => [path.basename(w.file), w.value]));
        const writes = mine.map((w) => `echo ${shellWord(w.value)} > ${shellWord(w.file)}`);
        const join = `echo ${d.pid} > ${shellWord(path.join(d.path, 'cgroup.procs'))}`;
        return { step, detail: { ...d, ...limits, command: [`mkdir -p ${shellWord(d.path)}`, ...writes, join].join(' && ') } };
      }
      case 'netns_create':
        return { step, detail: { ...d, command: shellLine(['unshare', `--net=${d.path}`, 'ip', 'link', 'set', 'lo', 'up']) } };
      case 'netns_bind':
        return { step, detail: { ...d, command: shellLine(['mount', '--bind', `/proc/${pid}/ns/net`, d.path]) } };
      case 'mount':
      case 'mount_skipped':
        return { step, detail: mountStep(d, root) };
      case 'mknod': {
        const [major, minor] = d.device.split(':');
        return { step, detail: { ...d, command: shellLine(['mknod', '-m', d.mode, root ? path.join(root, d.path) : d.path, 'c', major, minor]) } };
      }
      case 'pivot_root':
        return { step, detail: { ...d, command: `cd ${shellWord(d.new_root)} && pivot_root . . && umount -l .` } };
      case 'mask':
        return { step, detail: { ...d, command: d.with === 'tmpfs' ? shellLine(['mount', '-t', 'tmpfs', '-o', 'ro', 'tmpfs', d.path]) : shellLine(['mount', '--bind', '/dev/null', d.path]) } };
      case 'readonly':
        return { step, detail: { ...d, command: `${shellLine(['mount', '--bind', d.path, d.path])} && ${shellLine(['mount', '-o', 'remount,bind,ro', d.path])}` } };
      case 'sethostname':
        return { step, detail: { ...d, command: shellLine(['hostname', d.hostname]) } };
      case 'link_up':
        return { step, detail: { ...d, command: shellLine(['ip', 'link', 'set', d.interface, 'up']) } };
      case 'credentials':
        return { step: 'capabilities', detail: capabilitiesStep(d) };
      case 'seccomp':
        return { step, detail: { profile: start.seccompProfile, ...d } };
      case 'exec':
        return { step, detail: { ...d, command: shellLine(start.args) } };
      default:
        return { step, detail: d };
    }
  });
}

function capabilitiesStep(d: Record<string, string>): Record<string, string> {
  const effective = capabilitiesOfMask(d.cap_effective);
  const bounding = capabilitiesOfMask(d.cap_bounding);
  const set = (caps: string[]) => ['-all', ...caps.map((c) => `+${lowerCap(c)}`)].join(',');
  return {
    uid: d.uid,
    gid: d.gid,
    effective: effective.join(','),
    bounding: bounding.join(','),
    'effective.mask': d.cap_effective,
    'bounding.mask': d.cap_bounding,
    command: shellLine(['setpriv', `--reuid=${d.uid}`, `--regid=${d.gid}`, `--bounding-set=${set(bounding)}`, `--inh-caps=${set(effective)}`, `--ambient-caps=${set(effective)}`, '--']),
  };
}

const signalNames: Record<number, string> = Object.fromEntries(
  Object.entries(
    // Names to numbers; SIGIOT and SIGPOLL are aliases of SIGABRT and SIGIO.
    os.constants.signals as Record<string, number>,
  )
    .filter(([name]) => name !== 'SIGIOT' && name !== 'SIGPOLL')
    .map(([name, n]) => [n, name]),
);

/** `SIGTERM` for 15; real-time signals by number (SIGRTMIN+n has no fixed name). */
export function signalName(n: number): string {
  return signalNames[n] ?? `SIG${n}`;
}

/** The `signal` step: what the engine sent to the container's first process, and why. */
export function signalStep(signal: number, pid: number, reason: 'stop' | 'stop-timeout' | 'kill' | 'remove'): KernelRecord {
  const name = signalName(signal);
  return {
    step: 'signal',
    detail: { signal: name, number: String(signal), pid: String(pid), reason, command: `kill -${signalNames[signal] ? name.slice(3) : signal} ${pid}` },
  };
}

/** The `freeze` step: the freezer file written by pause or unpause (or to let a signal in), and what was written. */
export function freezeStep(write: CgroupFileWrite, freezer: FreezerKind): KernelRecord {
  return { step: 'freeze', detail: { file: write.file, state: write.value, freezer, command: `echo ${write.value} > ${shellWord(write.file)}` } };
}
