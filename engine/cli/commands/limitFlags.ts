// The flags for a container's limits (run, create and update) and its
// security options (run and create), with docker's names, help texts and
// value syntax, and the CreateOptions fields they become.

import fs from 'node:fs';
import type { CreateOptions } from '../../api';
import { ulimitNames } from '../../runtime/ulimits';
import type { FlagSpec, Flags } from '../flags';
import { parseRamBytes } from '../../humanize';
import { OptionError } from '../session';
import { parseUlimit } from '../units';

// Sizes (bytes), CPUs (decimal), the weight (uint16) and ulimits are read by the flag parser's docker types (flags.ts).
export const resourceFlags: readonly FlagSpec[] = [
  { name: 'blkio-weight', type: 'uint16', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { name: 'cpu-period', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'cpu-quota', type: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-rt-period', type: 'int', help: 'Limit CPU real-time period in microseconds' },
  { name: 'cpu-rt-runtime', type: 'int', help: 'Limit CPU real-time runtime in microseconds' },
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

/** docker's ValidateThrottleBpsDevice / ValidateThrottleIOpsDevice / ValidateWeightDevice: PATH:VALUE, the path under /dev. */
function devicePair(value: string): [string, string] {
  const colon = value.lastIndexOf(':');
  if (colon < 0) throw new Error(`bad format: ${value}`);
  const device = value.slice(0, colon);
  if (!device.startsWith('/dev/')) throw new Error(`bad format for device path: ${value}`);
  return [device, value.slice(colon + 1)];
}

const bpsRate = (value: string): number => {
  const [, rate] = devicePair(value);
  let bytes: number;
  try {
    bytes = parseRamBytes(rate);
  } catch {
    bytes = -1;
  }
  if (bytes < 0) {
    throw new Error(`invalid rate for device: ${value}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`);
  }
  return bytes;
};

const iopsRate = (value: string): number => {
  const [, rate] = devicePair(value);
  if (!/^\d+$/.test(rate)) throw new Error(`invalid rate for device: ${value}. The correct format is <device-path>:<number>. Number must be a positive integer`);
  return Number(rate);
};

const deviceWeight = (value: string): number => {
  const [, text] = devicePair(value);
  const weight = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(weight <= 65535) || (weight > 0 && (weight < 10 || weight > 1000))) throw new Error(`invalid weight for device: ${value}`);
  return weight;
};

const throttleFlag = (name: string, help: string, rate: (v: string) => number): FlagSpec => ({
  name,
  type: 'list',
  default: '[]',
  help,
  validate: (v) => (rate(v), v),
});

/** run and create only (update has no such flags). */
export const createOnlyResourceFlags: readonly FlagSpec[] = [
  { name: 'memory-swappiness', type: 'int', default: '-1', help: 'Tune container memory swappiness (0 to 100)' },
  throttleFlag('blkio-weight-device', 'Block IO weight (relative device weight)', deviceWeight),
  throttleFlag('device-read-bps', 'Limit read rate (bytes per second) from a device', bpsRate),
  throttleFlag('device-read-iops', 'Limit read rate (IO per second) from a device', iopsRate),
  throttleFlag('device-write-bps', 'Limit write rate (bytes per second) to a device', bpsRate),
  throttleFlag('device-write-iops', 'Limit write rate (IO per second) to a device', iopsRate),
];

/** The per-device limits of run and create. */
export function deviceLimitOptions(flags: Flags): Partial<CreateOptions> {
  const o: Partial<CreateOptions> = {};
  const each = (name: string, rate: (v: string) => number) => flags.list(name).map((v) => ({ path: devicePair(v)[0], rate: rate(v) }));
  if (flags.has('blkio-weight-device')) o.blkioWeightDevice = flags.list('blkio-weight-device').map((v) => ({ path: devicePair(v)[0], weight: deviceWeight(v) }));
  if (flags.has('device-read-bps')) o.blkioDeviceReadBps = each('device-read-bps', bpsRate);
  if (flags.has('device-write-bps')) o.blkioDeviceWriteBps = each('device-write-bps', bpsRate);
  if (flags.has('device-read-iops')) o.blkioDeviceReadIOps = each('device-read-iops', iopsRate);
  if (flags.has('device-write-iops')) o.blkioDeviceWriteIOps = each('device-write-iops', iopsRate);
  return o;
}

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
  .filter((f) => !['blkio-weight', 'cpu-rt-period', 'cpu-rt-runtime', 'cpus', 'memory-reservation', 'pids-limit', 'cap-add', 'cap-drop', 'group-add', 'init', 'oom-kill-disable', 'read-only'].includes(f.name))
  .map((f) => (f.name === 'security-opt' ? { ...f, type: 'strings' } : f));

type ResourceFields = Pick<
  CreateOptions,
  'memory' | 'memorySwap' | 'memoryReservation' | 'pidsLimit' | 'nanoCpus' | 'cpuShares' | 'cpusetCpus' | 'blkioWeight' | 'cpuPeriod' | 'cpuQuota' | 'cpuRealtimePeriod' | 'cpuRealtimeRuntime' | 'cpusetMems' | 'memorySwappiness'
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
  if (flags.has('cpu-rt-period')) o.cpuRealtimePeriod = flags.int('cpu-rt-period');
  if (flags.has('cpu-rt-runtime')) o.cpuRealtimeRuntime = flags.int('cpu-rt-runtime');
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
