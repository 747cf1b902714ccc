// dockerd's rules for limits, and the cgroup files they become on v1 and v2
// (this machine's v2 hierarchy has no memory, pids or cpu controller, so
// the v2 contents are checked here, as runc writes them).

import { describe, expect, it } from 'vitest';
import type { HostResourcesJson } from '../../inspect';
import { blkioToIoWeight, sharesToWeight, v1Writes, v2Controllers, v2Writes } from './cgroupFiles';
import { createResources, noLimits, parseCpuList, updateResources } from './limits';
import type { CgroupSupport } from './support';

const all: CgroupSupport = {
  memory: true,
  swap: true,
  reservation: true,
  oomKillDisable: true,
  pids: true,
  cfs: true,
  shares: true,
  cpuset: true,
  blkioWeight: true,
  cpus: '0-3',
};
const mib = 1024 * 1024;
const limits = (r: Partial<HostResourcesJson>): HostResourcesJson => ({ ...noLimits, ...r });

describe('create', () => {
  it('gives swap twice the memory unless told, as Docker', () => {
    expect(createResources({ memory: 64 * mib }, all).resources.MemorySwap).toBe(128 * mib);
    expect(createResources({ memory: 64 * mib, memorySwap: -1 }, all).resources.MemorySwap).toBe(-1);
    expect(createResources({}, all)).toEqual({ resources: noLimits, warnings: [] });
  });

  it.each([
    [{ memory: 4 * mib }, 'Minimum memory limit allowed is 6MB'],
    [{ memory: 64 * mib, memorySwap: 32 * mib }, 'Minimum memoryswap limit should be larger than memory limit, see usage'],
    [{ memorySwap: 64 * mib }, 'You should always set the Memory limit when using Memoryswap limit, see usage'],
    [{ memoryReservation: mib }, 'Minimum memory reservation allowed is 6MB'],
    [{ memory: 16 * mib, memoryReservation: 32 * mib }, 'Minimum memory limit can not be less than memory reservation limit, see usage'],
    [{ nanoCpus: 5e9 }, 'range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available'],
    [{ cpusetCpus: '0-7' }, 'Requested CPUs are not available - requested 0-7, available: 0-3'],
    [{ cpusetCpus: '1-x' }, 'Invalid value 1-x for cpuset cpus: invalid format: 1-x'],
    [{ blkioWeight: 5 }, 'Range of blkio weight is from 10 to 1000'],
    [{ cpuShares: -1 }, 'shares: invalid argument'],
  ])('refuses %j: %s', (opts, message) => {
    expect(() => createResources(opts, all)).toThrow(message);
  });

  it('drops with Docker’s warning what this machine cannot limit', () => {
    const { resources, warnings } = createResources({ blkioWeight: 300, oomKillDisable: true }, { ...all, blkioWeight: false, oomKillDisable: false });
    expect(resources.BlkioWeight).toBe(0);
    expect(resources.OomKillDisable).toBe(false);
    expect(warnings).toEqual([
      'Your kernel does not support OomKillDisable. OomKillDisable discarded.',
      'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
    ]);
    expect(createResources({ oomKillDisable: true }, all).warnings).toEqual([
      'OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.',
    ]);
  });
});

describe('update', () => {
  const current = limits({ Memory: 64 * mib, MemorySwap: 128 * mib, PidsLimit: 10, CpuShares: 512 });

  it('changes what it names and keeps the rest', () => {
    expect(updateResources(current, { id: 'x', memory: 100 * mib, pidsLimit: 20 }, all).resources).toEqual({ ...current, Memory: 100 * mib, PidsLimit: 20 });
  });

  it('refuses memory above the swap limit unless swap comes too, as moby', () => {
    expect(() => updateResources(current, { id: 'x', memory: 200 * mib }, all)).toThrow(
      'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    );
    expect(updateResources(current, { id: 'x', memory: 200 * mib, memorySwap: 400 * mib }, all).resources.MemorySwap).toBe(400 * mib);
    // A container made without a limit has no swap limit either: Docker asks for both.
    expect(() => updateResources(noLimits, { id: 'x', memory: 200 * mib }, all)).toThrow(/update the memoryswap at the same time/);
  });
});

describe('cgroup files', () => {
  const r = limits({
    Memory: 64 * mib,
    MemorySwap: 128 * mib,
    MemoryReservation: 32 * mib,
    OomKillDisable: true,
    PidsLimit: 64,
    NanoCpus: 1.5e9,
    CpuShares: 512,
    CpusetCpus: '0-1',
    BlkioWeight: 300,
  });

  it('v1: one file per controller knob, the CFS quota per 100 ms period', () => {
    expect(v1Writes(r)).toEqual([
      { file: 'memory.limit_in_bytes', value: '67108864' },
      { file: 'memory.memsw.limit_in_bytes', value: '134217728' },
      { file: 'memory.soft_limit_in_bytes', value: '33554432' },
      { file: 'memory.oom_control', value: '1' },
      { file: 'pids.max', value: '64' },
      { file: 'cpu.cfs_period_us', value: '100000' },
      { file: 'cpu.cfs_quota_us', value: '150000' },
      { file: 'cpu.shares', value: '512' },
      { file: 'cpuset.cpus', value: '0-1' },
      { file: 'blkio.weight', value: '300' },
    ]);
  });

  it('v1: swap before memory when memory grows past the current swap limit', () => {
    expect(v1Writes(limits({ Memory: 300 * mib, MemorySwap: 600 * mib }), 200 * mib).map((w) => w.file)).toEqual([
      'memory.memsw.limit_in_bytes',
      'memory.limit_in_bytes',
    ]);
    expect(v1Writes(limits({ PidsLimit: -1 }))).toEqual([{ file: 'pids.max', value: 'max' }]);
  });

  it('v2: swap apart from memory, weights on v2’s 1..10000 scale', () => {
    expect(v2Writes(r)).toEqual([
      { file: 'memory.max', value: '67108864' },
      { file: 'memory.swap.max', value: '67108864' },
      { file: 'memory.low', value: '33554432' },
      { file: 'pids.max', value: '64' },
      { file: 'cpu.max', value: '150000 100000' },
      { file: 'cpu.weight', value: '20' },
      { file: 'cpuset.cpus', value: '0-1' },
      { file: 'io.weight', value: '2930' },
    ]);
    expect(v2Writes(limits({ Memory: 64 * mib, MemorySwap: -1, PidsLimit: 0 }))).toEqual([
      { file: 'memory.max', value: '67108864' },
      { file: 'memory.swap.max', value: 'max' },
      { file: 'pids.max', value: 'max' },
    ]);
    expect(v2Controllers(r)).toEqual(['memory', 'pids', 'cpu', 'cpuset', 'io']);
  });

  it("v2 weights: runc's conversions, ends and middle", () => {
    expect([2, 1024, 262144].map(sharesToWeight)).toEqual([1, 39, 10000]);
    expect([10, 500, 1000].map(blkioToIoWeight)).toEqual([1, 4950, 10000]);
  });
});

describe('cpu lists', () => {
  it('reads ranges and singles', () => {
    expect([...parseCpuList('0-2,5', 'x')]).toEqual([0, 1, 2, 5]);
    expect(() => parseCpuList('2-1', 'x')).toThrow('x: invalid format: 2-1');
  });
});
