// A container's limits as dockerd takes them: the options checked with its
// rules and words (verifyPlatformContainerResources), a limit this
// machine's cgroups cannot apply dropped with its warning, and the
// defaults it fills in (swap twice the memory). `update` merges new limits
// into the old ones as moby's UpdateContainer does.

import type { CreateOptions, UpdateOptions } from '../../api';
import { conflict, invalidArgument } from '../../errors';
import type { HostResourcesJson } from '../../inspect';
import type { CgroupSupport } from './support';
import { refuseRootlessLimit } from '../../rootless';

/** Docker's floor for --memory and --memory-reservation: room for a start's overhead, not a kernel limit. */
const minMemory = 6 * 1024 * 1024;

export type ResourceOptions = Pick<
  CreateOptions,
  | 'memory'
  | 'memorySwap'
  | 'memoryReservation'
  | 'oomKillDisable'
  | 'pidsLimit'
  | 'nanoCpus'
  | 'cpuShares'
  | 'cpusetCpus'
  | 'blkioWeight'
  | 'cpuPeriod'
  | 'cpuQuota'
  | 'cpuRealtimePeriod'
  | 'cpuRealtimeRuntime'
  | 'cpusetMems'
  | 'memorySwappiness'
  | 'blkioWeightDevice'
  | 'blkioDeviceReadBps'
  | 'blkioDeviceWriteBps'
  | 'blkioDeviceReadIOps'
  | 'blkioDeviceWriteIOps'
>;

/** What inspect shows for a container made without limits. */
export const noLimits: HostResourcesJson = {
  Memory: 0,
  MemorySwap: 0,
  MemoryReservation: 0,
  OomKillDisable: false,
  PidsLimit: null,
  NanoCpus: 0,
  CpuShares: 0,
  CpusetCpus: '',
  BlkioWeight: 0,
  CpuPeriod: 0,
  CpuQuota: 0,
  CpuRealtimePeriod: 0,
  CpuRealtimeRuntime: 0,
  CpusetMems: '',
  MemorySwappiness: null,
  BlkioWeightDevice: [],
  BlkioDeviceReadBps: null,
  BlkioDeviceWriteBps: null,
  BlkioDeviceReadIOps: null,
  BlkioDeviceWriteIOps: null,
};

/** The per-device throttles: option, inspect field, what this machine must have, and dockerd's warning without it. */
export const throttles = [
  { option: 'blkioDeviceReadBps', flag: 'device-read-bps', field: 'BlkioDeviceReadBps', support: 'readBps', warning: 'Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.' },
  { option: 'blkioDeviceWriteBps', flag: 'device-write-bps', field: 'BlkioDeviceWriteBps', support: 'writeBps', warning: 'Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.' },
  { option: 'blkioDeviceReadIOps', flag: 'device-read-iops', field: 'BlkioDeviceReadIOps', support: 'readIOps', warning: 'Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.' },
  { option: 'blkioDeviceWriteIOps', flag: 'device-write-iops', field: 'BlkioDeviceWriteIOps', support: 'writeIOps', warning: 'Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.' },
] as const;

export function resourcesOf(host: Partial<HostResourcesJson>): HostResourcesJson {
  return { ...noLimits, ...Object.fromEntries(Object.entries(host).filter(([k]) => k in noLimits)) };
}

function fromOptions(o: ResourceOptions): Partial<HostResourcesJson> {
  const r: Partial<HostResourcesJson> = {};
  if (o.memory !== undefined) r.Memory = o.memory;
  if (o.memorySwap !== undefined) r.MemorySwap = o.memorySwap;
  if (o.memoryReservation !== undefined) r.MemoryReservation = o.memoryReservation;
  if (o.oomKillDisable !== undefined) r.OomKillDisable = o.oomKillDisable;
  if (o.pidsLimit !== undefined) r.PidsLimit = o.pidsLimit;
  if (o.nanoCpus !== undefined) r.NanoCpus = o.nanoCpus;
  if (o.cpuShares !== undefined) r.CpuShares = o.cpuShares;
  if (o.cpusetCpus !== undefined) r.CpusetCpus = o.cpusetCpus;
  if (o.blkioWeight !== undefined) r.BlkioWeight = o.blkioWeight;
  if (o.cpuPeriod !== undefined) r.CpuPeriod = o.cpuPeriod;
  if (o.cpuQuota !== undefined) r.CpuQuota = o.cpuQuota;
  if (o.cpuRealtimePeriod !== undefined) r.CpuRealtimePeriod = o.cpuRealtimePeriod;
  if (o.cpuRealtimeRuntime !== undefined) r.CpuRealtimeRuntime = o.cpuRealtimeRuntime;
  if (o.cpusetMems !== undefined) r.CpusetMems = o.cpusetMems;
  if (o.memorySwappiness !== undefined && o.memorySwappiness !== -1) r.MemorySwappiness = o.memorySwappiness;
  if (o.blkioWeightDevice?.length) r.BlkioWeightDevice = o.blkioWeightDevice.map((d) => ({ Path: d.path, Weight: d.weight }));
  for (const t of throttles) {
    const list = o[t.option];
    if (list?.length) r[t.field] = list.map((d) => ({ Path: d.path, Rate: d.rate }));
  }
  return r;
}

/** The limits of a new container, and the warnings Docker would print. */
export function createResources(o: ResourceOptions, support: CgroupSupport): { resources: HostResourcesJson; warnings: string[] } {
  const r = { ...noLimits, ...fromOptions(o) };
  const warnings = verify(r, support, false);
  if (r.Memory > 0 && r.MemorySwap === 0) r.MemorySwap = r.Memory * 2;
  return { resources: r, warnings };
}

/** The limits after `update` (what it does not name stays as it was). */
export function updateResources(current: HostResourcesJson, o: UpdateOptions, support: CgroupSupport): { resources: HostResourcesJson; warnings: string[] } {
  const asked = { ...noLimits, ...fromOptions(o), PidsLimit: o.pidsLimit ?? null };
  const warnings = verify(asked, support, true);
  const r = { ...current };
  // --cpus sets the CFS period and quota itself: once one way is taken, the other is refused (moby's UpdateContainer).
  if (asked.NanoCpus > 0 && current.CpuPeriod > 0) throw conflict('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if (asked.NanoCpus > 0 && current.CpuQuota > 0) throw conflict('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if (asked.CpuPeriod > 0 && current.NanoCpus > 0) throw conflict('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (asked.CpuQuota > 0 && current.NanoCpus > 0) throw conflict('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (asked.CpuPeriod !== 0) r.CpuPeriod = asked.CpuPeriod;
  if (asked.CpuQuota !== 0) r.CpuQuota = asked.CpuQuota;
  if (asked.CpuRealtimePeriod !== 0) r.CpuRealtimePeriod = asked.CpuRealtimePeriod;
  if (asked.CpuRealtimeRuntime !== 0) r.CpuRealtimeRuntime = asked.CpuRealtimeRuntime;
  if (asked.CpusetMems !== '') r.CpusetMems = asked.CpusetMems;
  if (asked.BlkioWeight !== 0) r.BlkioWeight = asked.BlkioWeight;
  if (asked.CpuShares !== 0) r.CpuShares = asked.CpuShares;
  if (asked.NanoCpus !== 0) r.NanoCpus = asked.NanoCpus;
  if (asked.CpusetCpus !== '') r.CpusetCpus = asked.CpusetCpus;
  if (asked.Memory !== 0) {
    if (asked.Memory > r.MemorySwap && asked.MemorySwap === 0) {
      throw invalidArgument('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    }
    r.Memory = asked.Memory;
  }
  if (asked.MemorySwap !== 0) r.MemorySwap = asked.MemorySwap;
  if (asked.MemoryReservation !== 0) r.MemoryReservation = asked.MemoryReservation;
  if (asked.PidsLimit !== null) r.PidsLimit = asked.PidsLimit;
  return { resources: r, warnings };
}

/** moby's checks, in its order; drops (with a warning) what this machine cannot limit. */
function verify(r: HostResourcesJson, support: CgroupSupport, update: boolean): string[] {
  const warnings: string[] = [];
  // Root mode drops what this machine cannot limit, with Docker's warning; rootless mode refuses (rootless.ts).
  const discard = (flag: string, warning: string) => {
    refuseRootlessLimit(flag);
    warnings.push(warning);
  };
  if (r.Memory !== 0 && r.Memory < minMemory) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (r.Memory > 0 && !support.memory) {
    discard('--memory', 'Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.Memory = 0;
    r.MemorySwap = -1;
  }
  if (r.Memory > 0 && r.MemorySwap !== -1 && !support.swap) {
    discard('--memory-swap', 'Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  if (r.MemorySwap < -1) throw invalidArgument(`invalid memory swap limit: ${r.MemorySwap}`);
  if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory) {
    throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (r.Memory === 0 && r.MemorySwap > 0 && !update) {
    throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (r.MemoryReservation > 0 && !support.reservation) {
    discard('--memory-reservation', 'Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.MemoryReservation = 0;
  }
  if (r.MemoryReservation > 0 && r.MemoryReservation < minMemory) throw invalidArgument('Minimum memory reservation allowed is 6MB');
  if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation) {
    throw invalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (r.OomKillDisable && !support.oomKillDisable) {
    discard('--oom-kill-disable', 'Your kernel does not support OomKillDisable. OomKillDisable discarded.');
    r.OomKillDisable = false;
  }
  if (r.OomKillDisable && r.Memory === 0) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  if (r.PidsLimit !== null && !support.pids) {
    if (r.PidsLimit > 0) discard('--pids-limit', 'Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.');
    r.PidsLimit = null;
  }
  if (r.MemorySwappiness !== null && !support.swappiness) {
    discard('--memory-swappiness', 'Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.');
    r.MemorySwappiness = null;
  }
  if (r.MemorySwappiness !== null && (r.MemorySwappiness < 0 || r.MemorySwappiness > 100)) {
    throw invalidArgument(`Invalid value: ${r.MemorySwappiness}, valid memory swappiness range is 0-100`);
  }
  if (r.NanoCpus > 0 && r.CpuPeriod > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (r.NanoCpus > 0 && r.CpuQuota > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (r.NanoCpus > 0 && !support.cfs) {
    refuseRootlessLimit('--cpus');
    throw invalidArgument('NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted');
  }
  const cpus = countCpus(support.cpus);
  if (r.NanoCpus < 0 || r.NanoCpus > cpus * 1e9) {
    throw invalidArgument(`range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  }
  if (r.CpuShares < 0) throw invalidArgument('shares: invalid argument');
  if (r.CpuShares > 0 && !support.shares) {
    discard('--cpu-shares', 'Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.');
    r.CpuShares = 0;
  }
  if ((r.CpuPeriod !== 0 || r.CpuQuota !== 0) && !support.cfs) {
    discard('--cpu-period', 'Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.');
    r.CpuPeriod = 0;
    r.CpuQuota = 0;
  }
  if (r.CpuPeriod !== 0 && (r.CpuPeriod < 1000 || r.CpuPeriod > 1000000)) {
    throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (r.CpuQuota > 0 && r.CpuQuota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if ((r.CpuRealtimePeriod !== 0 || r.CpuRealtimeRuntime !== 0) && !support.cpuRealtime) {
    throw invalidArgument('Your kernel does not support CPU real-time scheduler');
  }
  if (r.CpuRealtimePeriod !== 0 && r.CpuRealtimeRuntime > r.CpuRealtimePeriod) {
    throw invalidArgument('cpu real-time runtime cannot be higher than cpu real-time period');
  }
  if ((r.CpusetCpus !== '' || r.CpusetMems !== '') && !support.cpuset) {
    discard(r.CpusetCpus !== '' ? '--cpuset-cpus' : '--cpuset-mems', 'Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    r.CpusetCpus = '';
    r.CpusetMems = '';
  }
  if (r.CpusetCpus !== '') {
    const asked = parseCpuList(r.CpusetCpus, `Invalid value ${r.CpusetCpus} for cpuset cpus`);
    const available = parseCpuList(support.cpus, 'the available CPUs');
    if ([...asked].some((c) => !available.has(c))) {
      throw invalidArgument(`Requested CPUs are not available - requested ${r.CpusetCpus}, available: ${support.cpus}`);
    }
  }
  if (r.CpusetMems !== '') {
    const asked = parseCpuList(r.CpusetMems, `Invalid value ${r.CpusetMems} for cpuset mems`);
    const available = parseCpuList(support.mems, 'the available memory nodes');
    if ([...asked].some((n) => !available.has(n))) {
      throw invalidArgument(`Requested memory nodes are not available - requested ${r.CpusetMems}, available: ${support.mems}`);
    }
  }
  if (r.BlkioWeight > 0 && !support.blkioWeight) {
    discard('--blkio-weight', 'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    r.BlkioWeight = 0;
  }
  if (r.BlkioWeight > 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000');
  if (r.BlkioWeightDevice.length > 0 && !support.blkioWeightDevice) {
    discard('--blkio-weight-device', 'Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
    r.BlkioWeightDevice = [];
  }
  for (const t of throttles) {
    if (r[t.field]?.length && !support.throttle[t.support]) {
      discard(`--${t.flag}`, t.warning);
      r[t.field] = null;
    }
  }
  return warnings;
}

/** A cpuset list ("0-2,4"), as Docker's parsers.ParseUintList reads it. */
export function parseCpuList(list: string, what: string): Set<number> {
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw invalidArgument(`${what}: invalid format: ${list}`);
    const [from, to] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (to < from || to - from > 4096) throw invalidArgument(`${what}: invalid format: ${list}`);
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return cpus;
}

function countCpus(list: string): number {
  return parseCpuList(list, 'the available CPUs').size;
}

/** The limits as the runtime spec's linux.resources says them (for learners, and for runc were it to run the spec). */
export function ociResources(r: HostResourcesJson): Record<string, object> {
  const memory = {
    ...(r.Memory > 0 ? { limit: r.Memory } : {}),
    ...(r.MemoryReservation > 0 ? { reservation: r.MemoryReservation } : {}),
    ...(r.MemorySwap > 0 ? { swap: r.MemorySwap } : {}),
    ...(r.OomKillDisable ? { disableOOMKiller: true } : {}),
    ...(r.MemorySwappiness !== null ? { swappiness: r.MemorySwappiness } : {}),
  };
  const cpu = {
    ...(r.CpuShares > 0 ? { shares: r.CpuShares } : {}),
    ...(r.NanoCpus > 0 ? { quota: Math.round(r.NanoCpus / 1e4), period: 100_000 } : {}),
    ...(r.CpuPeriod > 0 ? { period: r.CpuPeriod } : {}),
    ...(r.CpuQuota !== 0 ? { quota: r.CpuQuota } : {}),
    ...(r.CpusetCpus ? { cpus: r.CpusetCpus } : {}),
    ...(r.CpusetMems ? { mems: r.CpusetMems } : {}),
  };
  return {
    ...(Object.keys(memory).length ? { memory } : {}),
    ...(Object.keys(cpu).length ? { cpu } : {}),
    ...(r.PidsLimit !== null ? { pids: { limit: r.PidsLimit > 0 ? r.PidsLimit : -1 } } : {}),
    ...(r.BlkioWeight > 0 ? { blockIO: { weight: r.BlkioWeight } } : {}),
  };
}
