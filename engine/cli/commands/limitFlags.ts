// The flags for a container's limits (run, create and update) and its
// security options (run and create), with docker's names, help texts and
// value syntax, and the CreateOptions fields they become.

import fs from 'node:fs';
import type { CreateOptions } from '../../api';
import { ulimitNames } from '../../runtime/ulimits';
import type { FlagSpec, Flags } from '../flags';
import { OptionError } from '../session';
import { parseUlimit } from '../units';

// Sizes (bytes), CPUs (decimal), the weight (uint16) and ulimits are read by the flag parser's docker types (flags.ts).
export const resourceFlags: readonly FlagSpec[] = [
  { name: 'blkio-weight', type: 'uint16', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { name: 'cpu-period', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'cpu-quota', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-shares', short: 'c', type: 'int', help: 'CPU shares (relative weight)' },
  { name: 'cpus', type: 'decimal', help: 'Number of CPUs' },
  { name: 'cpuset-cpus', type: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', type: 'string', help: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'memory', short: 'm', type: 'bytes', help: 'Memory limit' },
  { name: 'memory-reservation', type: 'bytes', help: 'Memory soft limit' },
  { name: 'memory-swap', type: 'bytes', help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  { name: 'pids-limit', type: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
];

/** Kernels since 5.x have no kernel memory limit: the flag is taken and dropped with dockerd's warning (run, create, update). */
export const kernelMemoryFlag: FlagSpec = { name: 'kernel-memory', type: 'bytes', help: 'Kernel memory limit' };
export const kernelMemoryDiscarded = 'Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.';

/** run and create only (update has no such flag). */
export const swappinessFlag: FlagSpec = { name: 'memory-swappiness', type: 'int', default: '-1', help: 'Tune container memory swappiness (0 to 100)' };

export const securityFlags: readonly FlagSpec[] = [
  { name: 'cap-add', type: 'list', help: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', help: 'Drop Linux capabilities' },
  { name: 'group-add', type: 'list', help: 'Add additional groups to join' },
  { name: 'init', type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'oom-kill-disable', type: 'bool', help: 'Disable OOM Killer' },
  { name: 'read-only', type: 'bool', help: "Mount the container's root filesystem as read only" },
  { name: 'security-opt', type: 'list', help: 'Security Options' },
  { name: 'shm-size', type: 'bytes', help: 'Size of /dev/shm' },
  {
    name: 'ulimit',
    type: 'ulimit',
    help: 'Ulimit options (default [])',
    validate: (v) => {
      parseUlimit(v, ulimitNames);
      return v;
    },
  },
];

/** build's resource flags, for RUN's containers; its --security-opt is a comma list (docker's `strings`). */
export const buildLimitFlags: readonly FlagSpec[] = [...resourceFlags, ...securityFlags]
  .filter((f) => !['blkio-weight', 'cpus', 'memory-reservation', 'pids-limit', 'cap-add', 'cap-drop', 'group-add', 'init', 'oom-kill-disable', 'read-only'].includes(f.name))
  .map((f) => (f.name === 'security-opt' ? { ...f, type: 'strings' } : f));

type ResourceFields = Pick<
  CreateOptions,
  'memory' | 'memorySwap' | 'memoryReservation' | 'pidsLimit' | 'nanoCpus' | 'cpuShares' | 'cpusetCpus' | 'blkioWeight' | 'cpuPeriod' | 'cpuQuota' | 'cpusetMems' | 'memorySwappiness'
>;

/** The limits the user gave (flags not given stay unset: update leaves them as they are). */
export function resourceOptions(flags: Flags): ResourceFields {
  const o: ResourceFields = {};
  if (flags.has('memory')) o.memory = flags.int('memory');
  if (flags.has('memory-swap')) o.memorySwap = flags.int('memory-swap');
  if (flags.has('memory-reservation')) o.memoryReservation = flags.int('memory-reservation');
  if (flags.has('pids-limit')) o.pidsLimit = flags.int('pids-limit');
  if (flags.has('cpus')) o.nanoCpus = flags.int('cpus');
  if (flags.has('cpu-shares')) o.cpuShares = flags.int('cpu-shares');
  if (flags.has('cpuset-cpus')) o.cpusetCpus = flags.string('cpuset-cpus');
  if (flags.has('blkio-weight')) o.blkioWeight = flags.int('blkio-weight');
  if (flags.has('cpu-period')) o.cpuPeriod = flags.int('cpu-period');
  if (flags.has('cpu-quota')) o.cpuQuota = flags.int('cpu-quota');
  if (flags.has('cpuset-mems')) o.cpusetMems = flags.string('cpuset-mems');
  if (flags.has('memory-swappiness')) o.memorySwappiness = flags.int('memory-swappiness');
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
  if (flags.has('shm-size')) o.shmSize = flags.int('shm-size');
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
