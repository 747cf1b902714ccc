// Limits on the real kernel (cgroup v1 here: memory, pids, cpu, cpuset):
// a memory hog killed at its limit (137, OOMKilled, an oom event), a fork
// bomb held at its pids limit, `update` changing a running container's
// cgroups, and the stats stream reading them back.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStats, EngineEvent, StatsSample } from '../../api';
import { collect, tempEngine, type TempEngine } from '../../testing/tempEngine';
import { cgroupSupport } from './support';

let t: TempEngine;
const mib = 1024 * 1024;

beforeAll(async () => {
  t = await tempEngine();
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

const cgroupDirs = (id: string): string[] => JSON.parse(fs.readFileSync(path.join(t.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;

/** A cgroup file of the container, from whichever of its cgroups has it. */
function cgroupFile(id: string, name: string): string {
  const file = cgroupDirs(id).map((d) => path.join(d, name)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no cgroup of ${id} has ${name}`);
  return fs.readFileSync(file, 'utf8').trim();
}

async function runDetached(cmd: string, opts: Record<string, unknown> = {}): Promise<string> {
  const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sh', '-c', cmd], ...opts });
  await t.client.call('container.start', { id });
  return id;
}

function oneSample(ids?: string[]): Promise<StatsSample> {
  return new Promise((resolve, reject) => {
    let sample: StatsSample | undefined;
    t.client.open('container.stats', { ...(ids ? { ids } : {}), once: true }, {
      onMessage: (s) => (sample = s),
      onEnd: (err) => (err ? reject(new Error(err.message)) : resolve(sample!)),
    });
  });
}

describe('memory', () => {
  it('a hog is killed by the OOM killer at its limit: exit 137, OOMKilled, an oom event', async () => {
    const since = Date.now() * 1e6;
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['sh', '-c', 'x=a; while true; do x=$x$x; done'], memory: 20 * mib });
    const r = await collect(t.client, id);
    expect(r.exitCode).toBe(137);
    const info = await t.client.call('container.inspect', { id });
    expect(info.State.OOMKilled).toBe(true);
    expect([info.HostConfig.Memory, info.HostConfig.MemorySwap]).toEqual([20 * mib, 40 * mib]);
    const actions = await eventsSince(since, id);
    expect(actions.slice(-2)).toEqual(['oom', 'die']);
    // A new start clears it.
    await t.client.call('container.start', { id });
    expect((await t.client.call('container.inspect', { id })).State.OOMKilled).toBe(false);
    await t.client.call('container.remove', { id, force: true });
  });

  it('a container that ends on its own was not OOM killed', async () => {
    const r = await t.run(['true'], { networkMode: 'none', memory: 20 * mib });
    expect((await t.client.call('container.inspect', { id: r.id })).State.OOMKilled).toBe(false);
  });

  it('writes the limit, twice its size for memory+swap, the soft limit and the OOM killer switch', async () => {
    const id = await runDetached('sleep 60', { memory: 64 * mib, memoryReservation: 32 * mib, oomKillDisable: true });
    expect(cgroupFile(id, 'memory.limit_in_bytes')).toBe(String(64 * mib));
    expect(cgroupFile(id, 'memory.memsw.limit_in_bytes')).toBe(String(128 * mib));
    expect(cgroupFile(id, 'memory.soft_limit_in_bytes')).toBe(String(32 * mib));
    expect(cgroupFile(id, 'memory.oom_control')).toMatch(/^oom_kill_disable 1$/m);
    await t.client.call('container.remove', { id, force: true });
  });
});

describe('pids', () => {
  /** Runs a fork bomb under `limit` until the kernel refuses a fork; returns the most processes seen at once. */
  async function bomb(limit: number): Promise<{ id: string; most: number }> {
    // The sleep the container waits on is forked before the bomb: once the limit is reached the shell could not fork it.
    const id = await runDetached('sleep 600 & s=$!; b() { b | b & }; b; wait $s', { pidsLimit: limit });
    expect(cgroupFile(id, 'pids.max')).toBe(String(limit));
    let most = 0;
    const refused = () => Number(/^max (\d+)$/m.exec(cgroupFile(id, 'pids.events'))![1]) > 0;
    for (let i = 0; i < 400 && (!refused() || i < 20); i++) {
      most = Math.max(most, Number(cgroupFile(id, 'pids.current')));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(refused()).toBe(true);
    return { id, most };
  }

  it('a fork bomb under --pids-limit 64 is refused forks at 64 processes and never has more', async () => {
    const { id, most } = await bomb(64);
    expect(most).toBeLessThanOrEqual(64);
    const [stats] = (await oneSample([id])).containers;
    expect(stats.pidsLimit).toBe(64);
    expect(stats.pids).toBeLessThanOrEqual(64);
    await t.client.call('container.remove', { id, force: true });
    // The same bomb under a higher limit goes well past 64: the limit, not the bomb, stopped it.
    const wider = await bomb(160);
    expect(wider.most).toBeGreaterThan(64);
    await t.client.call('container.remove', { id: wider.id, force: true });
  });
});

describe('cpu', () => {
  it('--cpus is a CFS quota per 100 ms, --cpu-shares a weight, --cpuset-cpus the CPUs', async () => {
    const id = await runDetached('sleep 60', { nanoCpus: 5e8, cpuShares: 512, cpusetCpus: '0' });
    expect([cgroupFile(id, 'cpu.cfs_quota_us'), cgroupFile(id, 'cpu.cfs_period_us'), cgroupFile(id, 'cpu.shares')]).toEqual(['50000', '100000', '512']);
    expect(cgroupFile(id, 'cpuset.cpus')).toBe('0');
    const pid = (await t.client.call('container.inspect', { id })).State.Pid;
    expect(/^Cpus_allowed_list:\s*(\S+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]).toBe('0');
    await t.client.call('container.remove', { id, force: true });
  });

  it('--blkio-weight is written where the kernel has the weight file, or dropped with Docker’s warning', async () => {
    const created = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['true'], blkioWeight: 300 });
    const weight = (await t.client.call('container.inspect', { id: created.id })).HostConfig.BlkioWeight;
    if (cgroupSupport().blkioWeight) expect([weight, created.warnings]).toEqual([300, []]);
    else {
      expect(weight).toBe(0);
      expect(created.warnings).toEqual(['Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.']);
    }
  });
});

describe('update', () => {
  it("changes a running container's cgroups at once, and keeps them for its next start", async () => {
    const id = await runDetached('sleep 600', { memory: 64 * mib, pidsLimit: 10 });
    const r = await t.client.call('container.update', { id, memory: 200 * mib, memorySwap: 400 * mib, pidsLimit: 20, nanoCpus: 1e9, cpuShares: 256 });
    expect(r.warnings).toEqual([]);
    expect(cgroupFile(id, 'memory.limit_in_bytes')).toBe(String(200 * mib));
    expect(cgroupFile(id, 'memory.memsw.limit_in_bytes')).toBe(String(400 * mib));
    expect([cgroupFile(id, 'pids.max'), cgroupFile(id, 'cpu.cfs_quota_us'), cgroupFile(id, 'cpu.shares')]).toEqual(['20', '100000', '256']);
    await t.client.call('container.restart', { id, timeout: 0 });
    expect([cgroupFile(id, 'memory.limit_in_bytes'), cgroupFile(id, 'pids.max')]).toEqual([String(200 * mib), '20']);
    await t.client.call('container.remove', { id, force: true });
  });

  it('a limit below what the container already uses is refused by the kernel, and nothing changes', async () => {
    // The shell keeps its 20 MB string (a last command would be exec'd, and the string gone with the shell).
    const id = await runDetached('x=$(head -c 20000000 /dev/zero | tr "\\0" a); sleep 600; echo ${#x}', { memory: 100 * mib, memorySwap: 100 * mib });
    for (let i = 0; i < 200 && Number(cgroupFile(id, 'memory.usage_in_bytes')) < 20 * mib; i++) await new Promise((r) => setTimeout(r, 50));
    await expect(t.client.call('container.update', { id, memory: 8 * mib, memorySwap: 8 * mib })).rejects.toThrow(/^Cannot update container [0-9a-f]{64}: failed to write/);
    expect((await t.client.call('container.inspect', { id })).HostConfig.Memory).toBe(100 * mib);
    await t.client.call('container.remove', { id, force: true });
  });

  it("refuses what dockerd's update refuses", async () => {
    const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['true'] });
    await expect(t.client.call('container.update', { id, memory: 64 * mib })).rejects.toThrow(
      `Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`,
    );
    await expect(t.client.call('container.update', { id: 'nosuch', pidsLimit: 5 })).rejects.toThrow('No such container: nosuch');
  });
});

describe('stats', () => {
  it('reads a running container’s use against its limits; stopped ones (all) read zeros', async () => {
    const busy = await runDetached('while :; do :; done', { memory: 50 * mib, pidsLimit: 30 });
    const { id: stopped } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['true'] });
    const sample = await new Promise<StatsSample>((resolve, reject) => {
      let last: StatsSample | undefined;
      t.client.open('container.stats', { all: true, once: true }, { onMessage: (s) => (last = s), onEnd: (e) => (e ? reject(e) : resolve(last!)) });
    });
    const byId = new Map(sample.containers.map((c) => [c.id, c]));
    const b = byId.get(busy)!;
    expect(b.running).toBe(true);
    expect(b.cpuPercent).toBeGreaterThan(0);
    expect(b.memoryLimit).toBe(50 * mib);
    expect(b.memoryUsage).toBeGreaterThan(0);
    expect(b.memoryPercent).toBeCloseTo((b.memoryUsage / b.memoryLimit) * 100, 5);
    expect([b.pids, b.pidsLimit, b.netRx, b.netTx]).toEqual([1, 30, 0, 0]);
    expect(byId.get(stopped)).toMatchObject<Partial<ContainerStats>>({ running: false, cpuPercent: 0, memoryUsage: 0, memoryLimit: 0, pids: 0 });
    await t.client.call('container.remove', { id: busy, force: true });
  });

  it("counts no interface of a container on the host's network, as Docker (the host's own traffic is not its)", async () => {
    const hostTraffic = fs
      .readFileSync('/proc/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .filter((l) => l.includes(':') && !/^\s*lo:/.test(l))
      .reduce((sum, l) => sum + Number(l.split(':')[1].trim().split(/\s+/)[0]), 0);
    expect(hostTraffic).toBeGreaterThan(0);
    const id = await runDetached('sleep 60', { networkMode: 'host' });
    const [stats] = (await oneSample([id])).containers;
    expect([stats.netRx, stats.netTx]).toEqual([0, 0]);
    await t.client.call('container.remove', { id, force: true });
  });

  it('fails at once for a container that does not exist, or an interval out of range', async () => {
    await expect(oneSample(['nosuch'])).rejects.toThrow('No such container: nosuch');
    const tooFast = new Promise((resolve, reject) => t.client.open('container.stats', { intervalMs: 10 }, { onMessage() {}, onEnd: (e) => (e ? reject(new Error(e.message)) : resolve(undefined)) }));
    await expect(tooFast).rejects.toThrow('stats interval 10 ms: it must be from 100 to 10000 ms');
  });
});

/** The container's events recorded since `since` (the stream replays them, then follows). */
function eventsSince(since: number, id: string): Promise<string[]> {
  return new Promise((resolve) => {
    const actions: string[] = [];
    const handle = t.client.open('events', { since }, {
      onMessage(e: EngineEvent) {
        if (e.type === 'container' && e.id === id) actions.push(e.action);
      },
      onEnd: () => undefined,
    });
    setTimeout(() => {
      handle.close();
      resolve(actions);
    }, 300);
  });
}
