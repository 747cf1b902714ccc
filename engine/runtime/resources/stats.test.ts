// Reading the kernel's counters as dockerd reads them: /proc/stat, net/dev,
// v1 blkio and v2 io.stat, "key value" files.

import { describe, expect, it } from 'vitest';
import { blockBytes, keyedNumbers, netBytes, statsRow, systemCpu, type Readings } from './stats';

describe('the counters', () => {
  it('/proc/stat: the first seven fields of the cpu line, in nanoseconds, and the CPUs counted', () => {
    const stat = 'cpu  100 2 30 400 5 6 7 8 0 0\ncpu0 50 1 15 200 2 3 3 4 0 0\ncpu1 50 1 15 200 3 3 4 4 0 0\nintr 1\n';
    expect(systemCpu(stat)).toEqual({ totalNs: 550 * 1e7, onlineCpus: 2 });
  });

  it('net/dev: every interface but the loopback', () => {
    const dev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    9999      10    0    0    0     0          0         0     9999      10    0    0    0     0       0          0
  eth0:    1200      10    0    0    0     0          0         0      340       4    0    0    0     0       0          0
  eth1:      30       1    0    0    0     0          0         0        5       1    0    0    0     0       0          0
`;
    expect(netBytes(dev)).toEqual({ rx: 1230, tx: 345 });
  });

  it('block I/O: v1 Read and Write lines, v2 rbytes and wbytes', () => {
    expect(blockBytes('8:0 Read 4096\n8:0 Write 512\n8:0 Sync 10\n8:0 Total 4608\nTotal 4608\n')).toEqual({ read: 4096, write: 512 });
    expect(blockBytes('8:0 rbytes=100 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=2\n')).toEqual({ read: 101, write: 22 });
  });

  it('key value files (memory.stat, memory.events, memory.oom_control)', () => {
    expect(keyedNumbers('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n').get('oom_kill')).toBe(3);
  });
});

describe('a row of stats', () => {
  const at = (cpuNs: number): Readings => ({ cpuNs, memoryUsage: 50, memoryLimit: 200, pids: 3, pidsLimit: null, blockRead: 0, blockWrite: 0, netRx: 0, netTx: 0, oomKills: 0 });

  it('CPU: the container’s share of the machine’s time, times its CPUs, as the docker CLI', () => {
    const before = { readings: at(1e9), system: { totalNs: 10e9, onlineCpus: 2 } };
    const row = statsRow({ id: 'x', name: 'n' }, at(1.5e9), before, { totalNs: 12e9, onlineCpus: 2 });
    expect(row.cpuPercent).toBe(50); // half a second of 2 s of machine time, on 2 CPUs: half a CPU
    expect(row.memoryPercent).toBe(25);
    expect(statsRow({ id: 'x', name: 'n' }, at(1.5e9), undefined, { totalNs: 12e9, onlineCpus: 2 }).cpuPercent).toBe(0);
  });
});
