// A container's limits as dockerd takes them: the options checked with its
// rules and words (verifyPlatformContainerResources), a limit this
// machine's cgroups cannot apply dropped with its warning, and the
// defaults it fills in (swap twice the memory). `update` merges new limits
// into the old ones as moby's UpdateContainer does.

import type { CreateOptions, UpdateOptions } from '../../api';
import { invalidArgument } from '../../errors';
import type { HostResourcesJson } from '../../inspect';
import type { CgroupSupport } from './support';
import { refuseRootlessLimit } from '../../rootless';

/** Docker's floor for --memory and --memory-reservation: room for a start's overhead, not a kernel limit. */
const minMemory = 6 * 1024 * 1024;

export type ResourceOptions = Pick<
  CreateOptions,
  'memory' | 'memorySwap' | 'memoryReservation' | 'oomKillDisable' | 'pidsLimit' | 'nanoCpus' | 'cpuShares' | 'cpusetCpus' | 'blkioWeight'
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
};

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
  if (r.CpusetCpus !== '' && !support.cpuset) {
    discard('--cpuset-cpus', 'Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    r.CpusetCpus = '';
  }
  if (r.CpusetCpus !== '') {
    const asked = parseCpuList(r.CpusetCpus, `Invalid value ${r.CpusetCpus} for cpuset cpus`);
    const available = parseCpuList(support.cpus, 'the available CPUs');
    if ([...asked].some((c) => !available.has(c))) {
      throw invalidArgument(`Requested CPUs are not available - requested ${r.CpusetCpus}, available: ${support.cpus}`);
    }
  }
  if (r.BlkioWeight > 0 && !support.blkioWeight) {
    discard('--blkio-weight', 'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    r.BlkioWeight = 0;
  }
  if (r.BlkioWeight > 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000');
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
  };
  const cpu = {
    ...(r.CpuShares > 0 ? { shares: r.CpuShares } : {}),
    ...(r.NanoCpus > 0 ? { quota: Math.round(r.NanoCpus / 1e4), period: 100_000 } : {}),
    ...(r.CpusetCpus ? { cpus: r.CpusetCpus } : {}),
  };
  return {
    ...(Object.keys(memory).length ? { memory } : {}),
    ...(Object.keys(cpu).length ? { cpu } : {}),
    ...(r.PidsLimit !== null ? { pids: { limit: r.PidsLimit > 0 ? r.PidsLimit : -1 } } : {}),
    ...(r.BlkioWeight > 0 ? { blockIO: { weight: r.BlkioWeight } } : {}),
  };
}
