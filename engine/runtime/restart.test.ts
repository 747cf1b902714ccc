// Restart policies on the real kernel, carried out by the container's
// monitor with no daemon: Docker's rules (on-failure:N, always,
// unless-stopped), its back-off, RestartCount, the restarting state and what
// stop, kill, rm -f and wait do to a container that restarts. Docker's
// behaviour here was measured on dockerd 20.10.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import type { EngineError } from '../errors';
import { collect } from '../testing/tempEngine';
import { useTempEngine } from '../testing/useTempEngine';
import { errorOf, sleep, until } from '../testing/waits';

const temp = useTempEngine();
const { call } = temp;
const inspect = (id: string) => call('container.inspect', { id });
function containerEvents(id: string): Promise<Extract<EngineEvent, { type: 'container' }>[]> {
  return new Promise((resolve, reject) => {
    const seen: EngineEvent[] = [];
    const h = temp.engine.client.open('events', { since: 0 }, { onMessage: (e) => seen.push(e), onEnd: (err) => err && reject(err) });
    setTimeout(() => {
      h.close();
      resolve(seen.filter((e): e is Extract<EngineEvent, { type: 'container' }> => e.type === 'container' && e.id === id));
    }, 100);
  });
}

function monitorPid(id: string): number {
  return Number(fs.readFileSync(path.join(temp.engine.root, 'run', id, 'monitor.pid'), 'utf8'));
}

function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

describe('on-failure', () => {
  it('restarts a failing container 3 times for on-failure:3: RestartCount 3, exited (1), every run logged', async () => {
    const { id } = await call('container.create', {
      image: temp.engine.image,
      cmd: ['sh', '-c', 'echo run; exit 1'],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
    });
    // Attached, as `strata run`: the first exit ends the stream, the restarts go on (as docker run).
    expect(await collect(temp.engine.client, id)).toMatchObject({ stdout: 'run\n', exitCode: 1 });
    const c = await until('the last restart', () => inspect(id), (c) => c.State.Status === 'exited');
    expect(c.RestartCount).toBe(3);
    expect(c.State).toMatchObject({ Status: 'exited', ExitCode: 1, Restarting: false, Running: false });
    expect(c.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    const log = fs.readFileSync(path.join(temp.engine.root, 'containers', id, 'log.json'), 'utf8');
    expect(log.trim().split('\n').map((l) => JSON.parse(l).log)).toEqual(['run\n', 'run\n', 'run\n', 'run\n']);
    await sleep(1000);
    expect((await inspect(id)).RestartCount).toBe(3);

    // Docker's events: start and die for each run, in order, and nothing after the last.
    const events = await containerEvents(id);
    expect(events.map((e) => e.action).filter((a) => a === 'start' || a === 'die')).toEqual(['start', 'die', 'start', 'die', 'start', 'die', 'start', 'die']);
    expect(events.filter((e) => e.action === 'die').map((e) => e.attributes.exitCode)).toEqual(['1', '1', '1', '1']);
    // moby's back-off: 100 ms, then 200, then 400 between a die and the next start (at least).
    const times = events.filter((e) => e.action === 'start' || e.action === 'die').map((e) => e.time / 1e6);
    const gaps = [times[2] - times[1], times[4] - times[3], times[6] - times[5]];
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
  });

  it('does not restart a container that exits 0, and a start by hand resets the count', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['sh', '-c', 'exit 0'], restartPolicy: { name: 'on-failure' } });
    expect((await collect(temp.engine.client, id)).exitCode).toBe(0);
    await sleep(500);
    expect((await inspect(id)).RestartCount).toBe(0);

    const failing = await call('container.create', {
      image: temp.engine.image,
      cmd: ['sh', '-c', 'sleep 1; exit 1'],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 1 },
    });
    await collect(temp.engine.client, failing.id);
    await until('one restart', () => inspect(failing.id), (c) => c.State.Status === 'exited' && c.RestartCount === 1);
    await call('container.start', { id: failing.id });
    expect((await inspect(failing.id)).RestartCount).toBe(0);
    await until('its restart', () => inspect(failing.id), (c) => c.State.Status === 'exited' && c.RestartCount === 1);
  });
});

describe('always and unless-stopped', () => {
  it('shows restarting as Docker does, refuses exec and pause then, and stop ends it without waiting the back-off', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['sh', '-c', 'exit 3'], restartPolicy: { name: 'always' }, name: 'looping' });
    await call('container.start', { id });
    // After six restarts the back-off is 3.2 s: long enough to look at the restarting state.
    const c = await until('a long back-off', () => inspect(id), (c) => c.State.Status === 'restarting' && c.RestartCount >= 6, 30_000);
    expect(c.State).toMatchObject({ Restarting: true, Running: true, Pid: 0, ExitCode: 3 });
    const listed = (await call('container.list', {})).find((x) => x.id === id)!;
    expect(listed.state).toBe('restarting');
    expect(listed.status).toMatch(/^Restarting \(3\) (Less than a second|\d+ seconds?) ago$/);
    expect((await errorOf(call('container.pause', { id }))).message).toBe(`Container ${id} is restarting, wait until the container is running`);
    const exec = await new Promise<EngineError | undefined>((resolve) =>
      temp.engine.client.open('container.exec', { id, cmd: ['true'] }, { onMessage: () => undefined, onEnd: (e) => resolve(e as EngineError | undefined) }),
    );
    expect(exec?.message).toBe(`Container ${id} is restarting, wait until the container is running`);

    const monitor = monitorPid(id);
    const count = (await inspect(id)).RestartCount;
    const t0 = Date.now();
    await call('container.stop', { id, timeout: 1 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 3, Restarting: false });
    await sleep(500);
    expect((await inspect(id)).RestartCount).toBe(count);
    expect(alive(monitor)).toBe(false);
    // Each die was told once, when its process ended (RestartCount of them): the stop adds none.
    const dies = (await containerEvents(id)).filter((e) => e.action === 'die').length;
    expect(dies).toBe(count);
  });

  it('brings an always container back when its process dies, but not after kill (Docker marks it stopped by hand)', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['sleep', '1000'], restartPolicy: { name: 'always' } });
    await call('container.start', { id });
    const first = (await inspect(id)).State.Pid;
    process.kill(first, 'SIGKILL'); // a crash, not a request
    const back = await until('the restart', () => inspect(id), (c) => c.State.Status === 'running' && c.State.Pid !== first && c.State.Pid > 0);
    expect(back.RestartCount).toBe(1);
    expect(back.State.ExitCode).toBe(137);

    await call('container.kill', { id });
    await sleep(500);
    expect((await inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
    expect((await inspect(id)).RestartCount).toBe(1);
  });

  it('restarts unless-stopped after a clean exit; wait returns at that exit, as docker wait does', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['sh', '-c', 'sleep 0.3; exit 5'], restartPolicy: { name: 'unless-stopped' } });
    await call('container.start', { id });
    expect((await call('container.wait', { id })).statusCode).toBe(5);
    await until('a restart', () => inspect(id), (c) => c.RestartCount >= 1);
    await call('container.remove', { id, force: true });
    expect((await call('container.list', { all: true })).some((c) => c.id === id)).toBe(false);
  });

  it('leaves no monitor behind when a restarting container is removed with force', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['false'], restartPolicy: { name: 'always' } });
    await call('container.start', { id });
    await until('restarting', () => inspect(id), (c) => c.State.Status === 'restarting' && c.RestartCount >= 3);
    const monitor = monitorPid(id);
    await call('container.remove', { id, force: true });
    expect(alive(monitor)).toBe(false);
    expect(fs.existsSync(path.join(temp.engine.root, 'containers', id))).toBe(false);
  });
});

describe("create refuses what Docker's daemon refuses", () => {
  it.each([
    [{ name: 'always', maximumRetryCount: 3 }, "maximum retry count cannot be used with restart policy 'always'"],
    [{ name: 'no', maximumRetryCount: 1 }, "maximum retry count cannot be used with restart policy 'no'"],
    [{ name: 'on-failure', maximumRetryCount: -1 }, 'maximum retry count cannot be negative'],
    [{ name: 'foo' }, "invalid restart policy 'foo'"],
  ])('%j', async (restartPolicy, message) => {
    const e = await errorOf(call('container.create', { image: temp.engine.image, cmd: ['true'], restartPolicy }));
    expect(e).toMatchObject({ code: 'InvalidArgument', message });
  });

  it('refuses --rm with a restart policy', async () => {
    const e = await errorOf(call('container.create', { image: temp.engine.image, cmd: ['true'], autoRemove: true, restartPolicy: { name: 'always' } }));
    expect(e.message).toBe("can't create 'AutoRemove' container with restart policy");
  });
});
