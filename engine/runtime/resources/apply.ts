// Writing a container's limits into its cgroups: at start, before its first
// process joins them, and at `update`, while it runs. Each file goes to the
// one of the container's cgroups that has it (a v1 controller's, or the v2
// one where that controller is enabled).

import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument, unavailable } from '../../errors';
import { deviceNumbers } from '../../fs/deviceNumbers';
import type { HostResourcesJson } from '../../inspect';
import type { CgroupFileWrite, ContainerCgroups } from '../cgroups';
import { deviceWrites, v1Writes, v2Controllers, v2Writes, type CgroupWrite } from './cgroupFiles';

const isV2 = (dir: string) => fs.existsSync(path.join(dir, 'cgroup.controllers'));

/**
 * On cgroup v2 a controller's files appear in a cgroup only once its
 * parents enable it for their children. The engine's own cgroup may not
 * (a cgroup with processes cannot hand domain controllers down): then the
 * file is missing and applyResources says which limit could not be set.
 */
function enableV2Controllers(dir: string, controllers: readonly string[]): void {
  const parents = [path.dirname(path.dirname(dir)), path.dirname(dir)];
  for (const parent of parents) {
    let offered: string[];
    try {
      offered = fs.readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    } catch {
      return;
    }
    for (const c of controllers.filter((x) => offered.includes(x))) {
      try {
        fs.writeFileSync(path.join(parent, 'cgroup.subtree_control'), `+${c}`);
      } catch {
        // Not delegated to us: the write of its file below will tell.
      }
    }
  }
}

function readNumber(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/** A block device's "MAJ:MIN", as the blkio files name it. */
function blockDevice(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw invalidArgument(`error gathering device information for ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  if (!st.isBlockDevice()) throw invalidArgument(`${file} is not a block device`);
  const { major, minor } = deviceNumbers(st.rdev);
  return `${major}:${minor}`;
}

/** Writes every limit `r` sets into the container's cgroups; returns the writes, in order. */
export function applyResources(cg: ContainerCgroups, r: HostResourcesJson): CgroupFileWrite[] {
  const v1Dirs = cg.dirs.filter((d) => !isV2(d));
  const v2Dir = cg.dirs.find(isV2);
  const memoryDir = v1Dirs.find((d) => fs.existsSync(path.join(d, 'memory.memsw.limit_in_bytes')));
  const pending: { dirs: string[]; w: CgroupWrite }[] = [
    ...v1Writes(r, memoryDir ? readNumber(path.join(memoryDir, 'memory.memsw.limit_in_bytes')) : undefined).map((w) => ({ dirs: v1Dirs, w })),
    ...deviceWrites(r, blockDevice, false).map((w) => ({ dirs: v1Dirs, w })),
  ];
  if (v2Dir) {
    const devices = deviceWrites(r, blockDevice, true);
    enableV2Controllers(v2Dir, [...v2Controllers(r), ...(devices.length > 0 ? ['io'] : [])]);
    pending.push(...[...v2Writes(r), ...devices].map((w) => ({ dirs: [v2Dir], w })));
  }
  const written = new Set<string>();
  const writes: CgroupFileWrite[] = [];
  for (const { dirs, w } of pending) {
    const target = dirs.flatMap((d) => [w.file, ...(sameScale[w.file] ?? [])].map((f) => path.join(d, f))).find((f) => fs.existsSync(f));
    if (!target) continue;
    try {
      fs.writeFileSync(target, w.value);
    } catch (err) {
      throw unavailable(`failed to write ${w.value} to ${target}: ${(err as Error).message}`);
    }
    written.add(limitOf(w.file));
    writes.push({ file: target, value: w.value });
  }
  const missing = [...new Set(pending.map((p) => limitOf(p.w.file)))].filter((l) => !written.has(l));
  if (missing.length > 0) {
    throw unavailable(`cannot apply ${missing.join(', ')}: none of the container's cgroups has the controller (${cg.dirs.join(', ')})`);
  }
  return writes;
}

/** Where a kernel with the BFQ scheduler keeps the same value. */
const sameScale: Record<string, string[]> = { 'blkio.weight': ['blkio.bfq.weight'] };

const throttleFlags = '--device-read-bps, --device-write-bps, --device-read-iops, --device-write-iops';

/** The flag a file serves, for messages: both v1 and v2 files of a limit count as that limit. */
function limitOf(file: string): string {
  const flags: Record<string, string> = {
    'memory.limit_in_bytes': '--memory',
    'memory.max': '--memory',
    'memory.memsw.limit_in_bytes': '--memory-swap',
    'memory.swap.max': '--memory-swap',
    'memory.soft_limit_in_bytes': '--memory-reservation',
    'memory.low': '--memory-reservation',
    'memory.oom_control': '--oom-kill-disable',
    'pids.max': '--pids-limit',
    'cpu.cfs_period_us': '--cpus (or --cpu-period, --cpu-quota)',
    'cpu.cfs_quota_us': '--cpus (or --cpu-period, --cpu-quota)',
    'cpu.max': '--cpus (or --cpu-period, --cpu-quota)',
    'cpu.shares': '--cpu-shares',
    'cpu.weight': '--cpu-shares',
    'cpuset.cpus': '--cpuset-cpus',
    'cpuset.mems': '--cpuset-mems',
    'cpu.rt_period_us': '--cpu-rt-period',
    'cpu.rt_runtime_us': '--cpu-rt-runtime',
    'memory.swappiness': '--memory-swappiness',
    'blkio.weight': '--blkio-weight',
    'io.weight': '--blkio-weight',
    // A device's weight and throttles are written on v1 or v2: each file of either counts.
    'blkio.weight_device': '--blkio-weight-device',
    'blkio.throttle.read_bps_device': throttleFlags,
    'blkio.throttle.write_bps_device': throttleFlags,
    'blkio.throttle.read_iops_device': throttleFlags,
    'blkio.throttle.write_iops_device': throttleFlags,
    'io.max': throttleFlags,
  };
  return flags[file] ?? file;
}
