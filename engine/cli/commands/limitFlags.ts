// The flags for a container's limits (run, create and update) and its
// security options (run and create), with docker's names, help texts and
// value syntax, and the CreateOptions fields they become.

import fs from 'node:fs';
import type { CreateOptions } from '../../api';
import { ulimitNames } from '../../runtime/ulimits';
import type { FlagSpec, Flags } from '../flags';
import { OptionError } from '../session';
import { parseRamBytes } from '../../humanize';
import { parseNanoCpus, parseUlimit } from '../units';

/** Each value checked and written back in bytes, so a bad size fails as the flag's own error. */
const bytes = (v: string) => String(parseRamBytes(v));

export const resourceFlags: readonly FlagSpec[] = [
  { name: 'blkio-weight', type: 'int', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { name: 'cpu-shares', short: 'c', type: 'int', help: 'CPU shares (relative weight)' },
  { name: 'cpus', type: 'string', help: 'Number of CPUs', validate: (v) => String(parseNanoCpus(v)) },
  { name: 'cpuset-cpus', type: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'memory', short: 'm', type: 'string', help: 'Memory limit', validate: bytes },
  { name: 'memory-reservation', type: 'string', help: 'Memory soft limit', validate: bytes },
  {
    name: 'memory-swap',
    type: 'string',
    help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
    validate: (v) => (v === '-1' ? v : bytes(v)),
  },
  { name: 'pids-limit', type: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
];

export const securityFlags: readonly FlagSpec[] = [
  { name: 'cap-add', type: 'list', help: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', help: 'Drop Linux capabilities' },
  { name: 'group-add', type: 'list', help: 'Add additional groups to join' },
  { name: 'init', type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'oom-kill-disable', type: 'bool', help: 'Disable OOM Killer' },
  { name: 'read-only', type: 'bool', help: "Mount the container's root filesystem as read only" },
  { name: 'security-opt', type: 'list', help: 'Security Options' },
  { name: 'shm-size', type: 'string', help: 'Size of /dev/shm', validate: bytes },
  {
    name: 'ulimit',
    type: 'list',
    help: 'Ulimit options (default [])',
    validate: (v) => {
      parseUlimit(v, ulimitNames);
      return v;
    },
  },
];

type ResourceFields = Pick<CreateOptions, 'memory' | 'memorySwap' | 'memoryReservation' | 'pidsLimit' | 'nanoCpus' | 'cpuShares' | 'cpusetCpus' | 'blkioWeight'>;

/** The limits the user gave (flags not given stay unset: update leaves them as they are). */
export function resourceOptions(flags: Flags): ResourceFields {
  const o: ResourceFields = {};
  const bytesOf = (name: string) => (flags.has(name) ? Number(flags.string(name)) : undefined);
  if (flags.has('memory')) o.memory = bytesOf('memory');
  if (flags.has('memory-swap')) o.memorySwap = bytesOf('memory-swap');
  if (flags.has('memory-reservation')) o.memoryReservation = bytesOf('memory-reservation');
  if (flags.has('pids-limit')) o.pidsLimit = flags.int('pids-limit');
  if (flags.has('cpus')) o.nanoCpus = Number(flags.string('cpus'));
  if (flags.has('cpu-shares')) o.cpuShares = flags.int('cpu-shares');
  if (flags.has('cpuset-cpus')) o.cpusetCpus = flags.string('cpuset-cpus');
  if (flags.has('blkio-weight')) {
    const w = flags.int('blkio-weight')!;
    if (w < 0 || w > 65535) throw new OptionError(`invalid argument "${w}" for "--blkio-weight" flag: strconv.ParseUint: parsing "${w}": value out of range`);
    o.blkioWeight = w;
  }
  return o;
}

export function securityOptions(flags: Flags): Partial<CreateOptions> {
  const o: Partial<CreateOptions> = {};
  if (flags.has('cap-add')) o.capAdd = flags.list('cap-add');
  if (flags.has('cap-drop')) o.capDrop = flags.list('cap-drop');
  if (flags.has('security-opt')) o.securityOpt = flags.list('security-opt').map(readSeccompFile);
  if (flags.bool('read-only')) o.readOnly = true;
  if (flags.has('group-add')) o.groupAdd = flags.list('group-add');
  if (flags.has('ulimit')) o.ulimits = flags.list('ulimit').map((u) => parseUlimit(u, ulimitNames));
  if (flags.has('shm-size')) o.shmSize = Number(flags.string('shm-size'));
  if (flags.bool('init')) o.init = true;
  if (flags.bool('oom-kill-disable')) o.oomKillDisable = true;
  return o;
}

/**
 * As the docker CLI: seccomp=FILE sends the file's JSON, compacted; the
 * engine (like dockerd) never opens a path the client named.
 */
function readSeccompFile(opt: string): string {
  if (opt === 'no-new-privileges') return opt;
  const at = opt.includes('=') ? opt.indexOf('=') : opt.indexOf(':');
  const [key, value] = [opt.slice(0, at), opt.slice(at + 1)];
  if (at < 0 || value === '') throw new OptionError(`Invalid --security-opt: "${opt}"`);
  if (key !== 'seccomp' || value === 'unconfined' || value === 'builtin') return opt;
  let text: string;
  try {
    text = fs.readFileSync(value, 'utf8');
  } catch (err) {
    throw new OptionError(`opening seccomp profile (${value}) failed: open ${value}: ${((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message)}`);
  }
  try {
    return `seccomp=${JSON.stringify(JSON.parse(text))}`;
  } catch (err) {
    throw new OptionError(`compacting json for seccomp profile (${value}) failed: ${(err as Error).message}`);
  }
}
