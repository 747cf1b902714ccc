// The files a container's limits are written to, and what goes in them, for
// each v1 controller and for cgroup v2, as runc writes them. Pure: apply.ts
// writes them where the controller is.
//
//   limit               v1                                      v2
//   --memory            memory.limit_in_bytes                   memory.max
//   --memory-swap       memory.memsw.limit_in_bytes (mem+swap)  memory.swap.max (swap alone)
//   --memory-reserv.    memory.soft_limit_in_bytes              memory.low
//   --oom-kill-disable  memory.oom_control = 1                  (none: v2 has no such switch)
//   --pids-limit        pids.max                                pids.max
//   --cpus              cpu.cfs_period_us, cpu.cfs_quota_us     cpu.max = "QUOTA PERIOD"
//   --cpu-shares        cpu.shares                              cpu.weight (1..10000)
//   --cpuset-cpus       cpuset.cpus                             cpuset.cpus
//   --blkio-weight      blkio.weight                            io.weight (1..10000)
//   --cpu-period/quota  cpu.cfs_period_us, cpu.cfs_quota_us     cpu.max = "QUOTA|max PERIOD"
//   --cpu-rt-period/rt. cpu.rt_period_us, cpu.rt_runtime_us     (none)
//   --cpuset-mems       cpuset.mems                             cpuset.mems
//   --memory-swappiness memory.swappiness                       (none)
//   --blkio-weight-dev. blkio.weight_device "MAJ:MIN W"          io.weight "MAJ:MIN W"
//   --device-read-bps   blkio.throttle.read_bps_device           io.max "MAJ:MIN rbps=N" (wbps, riops, wiops)

import type { HostResourcesJson } from '../../inspect';

export interface CgroupWrite {
  file: string;
  value: string;
}

/** The CFS period runc uses with --cpus: 100 ms. */
const cfsPeriod = 100_000;

const cfsQuota = (nanoCpus: number) => Math.round((nanoCpus * cfsPeriod) / 1e9);

/** runc's mapping of cpu.shares (2..262144) onto cpu.weight (1..10000). */
export const sharesToWeight = (shares: number) => 1 + Math.floor(((shares - 2) * 9999) / 262142);

/** runc's mapping of blkio.weight (10..1000) onto io.weight (1..10000). */
export const blkioToIoWeight = (weight: number) => 1 + Math.floor(((weight - 10) * 9999) / 990);

/**
 * The v1 writes, in an order the kernel accepts: memory+swap must never be
 * below memory, so when the memory limit grows past the current swap limit
 * (`memswNow`), swap goes first.
 */
export function v1Writes(r: HostResourcesJson, memswNow = Number.MAX_SAFE_INTEGER): CgroupWrite[] {
  const w: CgroupWrite[] = [];
  const memory = r.Memory > 0 ? [{ file: 'memory.limit_in_bytes', value: String(r.Memory) }] : [];
  const swap = r.MemorySwap !== 0 && (r.Memory > 0 || r.MemorySwap === -1) ? [{ file: 'memory.memsw.limit_in_bytes', value: String(r.MemorySwap) }] : [];
  w.push(...(r.Memory > memswNow ? [...swap, ...memory] : [...memory, ...swap]));
  if (r.MemoryReservation > 0) w.push({ file: 'memory.soft_limit_in_bytes', value: String(r.MemoryReservation) });
  if (r.OomKillDisable) w.push({ file: 'memory.oom_control', value: '1' });
  if (r.PidsLimit !== null) w.push({ file: 'pids.max', value: r.PidsLimit > 0 ? String(r.PidsLimit) : 'max' });
  if (r.NanoCpus > 0) w.push({ file: 'cpu.cfs_period_us', value: String(cfsPeriod) }, { file: 'cpu.cfs_quota_us', value: String(cfsQuota(r.NanoCpus)) });
  if (r.CpuShares > 0) w.push({ file: 'cpu.shares', value: String(r.CpuShares) });
  if (r.CpusetCpus !== '') w.push({ file: 'cpuset.cpus', value: r.CpusetCpus });
  if (r.BlkioWeight > 0) w.push({ file: 'blkio.weight', value: String(r.BlkioWeight) });
  if (r.CpuPeriod > 0) w.push({ file: 'cpu.cfs_period_us', value: String(r.CpuPeriod) });
  if (r.CpuQuota !== 0) w.push({ file: 'cpu.cfs_quota_us', value: String(r.CpuQuota) });
  if (r.CpuRealtimePeriod > 0) w.push({ file: 'cpu.rt_period_us', value: String(r.CpuRealtimePeriod) });
  if (r.CpuRealtimeRuntime !== 0) w.push({ file: 'cpu.rt_runtime_us', value: String(r.CpuRealtimeRuntime) });
  if (r.CpusetMems !== '') w.push({ file: 'cpuset.mems', value: r.CpusetMems });
  if (r.MemorySwappiness !== null) w.push({ file: 'memory.swappiness', value: String(r.MemorySwappiness) });
  return w;
}

/** The v2 writes: swap is counted apart from memory there, so memory.swap.max is the difference. */
export function v2Writes(r: HostResourcesJson): CgroupWrite[] {
  const w: CgroupWrite[] = [];
  if (r.Memory > 0) w.push({ file: 'memory.max', value: String(r.Memory) });
  if (r.MemorySwap === -1) w.push({ file: 'memory.swap.max', value: 'max' });
  else if (r.MemorySwap > 0 && r.Memory > 0) w.push({ file: 'memory.swap.max', value: String(r.MemorySwap - r.Memory) });
  if (r.MemoryReservation > 0) w.push({ file: 'memory.low', value: String(r.MemoryReservation) });
  if (r.PidsLimit !== null) w.push({ file: 'pids.max', value: r.PidsLimit > 0 ? String(r.PidsLimit) : 'max' });
  if (r.NanoCpus > 0) w.push({ file: 'cpu.max', value: `${cfsQuota(r.NanoCpus)} ${cfsPeriod}` });
  if (r.CpuShares > 0) w.push({ file: 'cpu.weight', value: String(sharesToWeight(r.CpuShares)) });
  if (r.CpusetCpus !== '') w.push({ file: 'cpuset.cpus', value: r.CpusetCpus });
  if (r.BlkioWeight > 0) w.push({ file: 'io.weight', value: String(blkioToIoWeight(r.BlkioWeight)) });
  if (r.CpuPeriod > 0 || r.CpuQuota !== 0) {
    w.push({ file: 'cpu.max', value: `${r.CpuQuota > 0 ? r.CpuQuota : 'max'} ${r.CpuPeriod > 0 ? r.CpuPeriod : cfsPeriod}` });
  }
  if (r.CpusetMems !== '') w.push({ file: 'cpuset.mems', value: r.CpusetMems });
  return w;
}

/**
 * The per-device writes, one line a write (the kernel takes one device a
 * write); `device` gives a path's "MAJ:MIN".
 */
export function deviceWrites(r: HostResourcesJson, device: (path: string) => string, v2: boolean): CgroupWrite[] {
  const w: CgroupWrite[] = [];
  for (const d of r.BlkioWeightDevice) {
    w.push({ file: v2 ? 'io.weight' : 'blkio.weight_device', value: `${device(d.Path)} ${v2 ? blkioToIoWeight(d.Weight) : d.Weight}` });
  }
  const throttled = [
    [r.BlkioDeviceReadBps, 'read_bps_device', 'rbps'],
    [r.BlkioDeviceWriteBps, 'write_bps_device', 'wbps'],
    [r.BlkioDeviceReadIOps, 'read_iops_device', 'riops'],
    [r.BlkioDeviceWriteIOps, 'write_iops_device', 'wiops'],
  ] as const;
  for (const [list, v1File, v2Key] of throttled) {
    for (const d of list ?? []) {
      w.push(v2 ? { file: 'io.max', value: `${device(d.Path)} ${v2Key}=${d.Rate}` } : { file: `blkio.throttle.${v1File}`, value: `${device(d.Path)} ${d.Rate}` });
    }
  }
  return w;
}

/** The v2 controllers `r` needs enabled in the parents' cgroup.subtree_control. */
export function v2Controllers(r: HostResourcesJson): string[] {
  const files = v2Writes(r).map((w) => w.file.split('.')[0]);
  return [...new Set(files)];
}
