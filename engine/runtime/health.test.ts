// Health checks on the real kernel, run by the container's monitor as
// Docker's daemon runs them: starting → healthy → unhealthy with Docker's
// status words in ps, State.Health in inspect (the last five results), the
// health_status events, timeouts, the start period, the image's HEALTHCHECK
// and --no-healthcheck. Docker's behaviour was measured on dockerd 20.10.

import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import { useTempEngine } from '../testing/useTempEngine';
import { errorOf, sleep, until } from '../testing/waits';

const temp = useTempEngine();
const { call } = temp;
const inspect = (id: string) => call('container.inspect', { id });
const statusOf = async (id: string) => (await call('container.list', {})).find((c) => c.id === id)?.status ?? '';
const ms = 1e6;

async function runDetached(cmd: string[], extra: Record<string, unknown>): Promise<string> {
  const { id } = await call('container.create', { image: temp.engine.image, cmd, ...extra });
  await call('container.start', { id });
  return id;
}

function healthEvents(id: string): Promise<string[]> {
  return new Promise((resolve) => {
    const seen: EngineEvent[] = [];
    const h = temp.engine.client.open('events', { since: 0 }, { onMessage: (e) => seen.push(e), onEnd: () => undefined });
    setTimeout(() => {
      h.close();
      resolve(seen.flatMap((e) => (e.type === 'container' && e.id === id && e.action.startsWith('health_status') ? [e.action] : [])));
    }, 100);
  });
}

describe('a check that passes, then fails', () => {
  it('goes starting → healthy → unhealthy, in ps, inspect and events', async () => {
    // healthy while /tmp/ok exists; the container removes it after a while.
    const id = await runDetached(['sh', '-c', 'touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 1000'], {
      healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ok && echo fine || { echo gone >&2; exit 3; }'], interval: 500 * ms, retries: 2 },
    });
    expect(await statusOf(id)).toMatch(/^Up .* \(health: starting\)$/);
    expect((await inspect(id)).State.Health).toMatchObject({ Status: 'starting', FailingStreak: 0 });

    const healthy = await until('healthy', () => inspect(id), (c) => c.State.Health?.Status === 'healthy');
    expect(await statusOf(id)).toMatch(/^Up .* \(healthy\)$/);
    const pass = healthy.State.Health!.Log.at(-1)!;
    expect(pass).toMatchObject({ ExitCode: 0, Output: 'fine\n' });
    expect(Date.parse(pass.End)).toBeGreaterThanOrEqual(Date.parse(pass.Start));

    const unhealthy = await until('unhealthy', () => inspect(id), (c) => c.State.Health?.Status === 'unhealthy', 30_000);
    expect(await statusOf(id)).toMatch(/^Up .* \(unhealthy\)$/);
    const h = unhealthy.State.Health!;
    expect(h.FailingStreak).toBeGreaterThanOrEqual(2);
    expect(h.Log.at(-1)).toMatchObject({ ExitCode: 3, Output: 'gone\n' });
    expect(h.Log.length).toBeLessThanOrEqual(5);
    expect(await healthEvents(id)).toEqual(['health_status: healthy', 'health_status: unhealthy']);

    // Docker keeps the last five results; stopped, the container is unhealthy.
    await sleep(3000);
    expect((await inspect(id)).State.Health!.Log).toHaveLength(5);
    await call('container.stop', { id, timeout: 0 });
    const stopped = await inspect(id);
    expect(stopped.State.Health!.Status).toBe('unhealthy');
    expect(await statusOf(id)).toBe('');
    await call('container.remove', { id });
  });
});

describe('how checks run', () => {
  it('kills a check that outlives its timeout and says so as Docker does', async () => {
    const id = await runDetached(['sleep', '1000'], {
      healthcheck: { test: ['CMD', 'sleep', '30'], interval: 300 * ms, timeout: 300 * ms, retries: 1 },
    });
    const c = await until('four timeouts', () => inspect(id), (c) => (c.State.Health?.Log.length ?? 0) >= 4);
    expect(c.State.Health!.Status).toBe('unhealthy');
    expect(c.State.Health!.Log[0]).toMatchObject({ ExitCode: -1, Output: 'Health check exceeded timeout (300ms)' });
    // Each timed-out check was killed: at most the one running now is left.
    const procs = (await call('container.processes', { id })).processes.map((p) => p.cmd);
    expect(procs.filter((p) => p.startsWith('sleep 30')).length).toBeLessThanOrEqual(1);
    await call('container.remove', { id, force: true });
  });

  it('does not count failures during the start period', async () => {
    const id = await runDetached(['sleep', '1000'], {
      healthcheck: { test: ['CMD', 'false'], interval: 200 * ms, startPeriod: 60_000 * ms, retries: 1 },
    });
    const c = await until('failures', () => inspect(id), (c) => (c.State.Health?.Log.length ?? 0) >= 3);
    expect(c.State.Health).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    await call('container.remove', { id, force: true });
  });

  it("runs as the container's user, in its working dir, with its environment", async () => {
    const id = await runDetached(['sleep', '1000'], {
      user: 'nobody',
      workingDir: '/tmp',
      env: ['WHO=checker'],
      healthcheck: { test: ['CMD-SHELL', 'echo $(id -u) $(pwd) $WHO'], interval: 200 * ms },
    });
    const c = await until('a result', () => inspect(id), (c) => (c.State.Health?.Log.length ?? 0) >= 1);
    expect(c.State.Health!.Log[0]).toMatchObject({ ExitCode: 0, Output: '65534 /tmp checker\n' });
    await call('container.remove', { id, force: true });
  });

  it("is held as an exec is: the container's seccomp filter and ulimits", async () => {
    const id = await runDetached(['sleep', '1000'], {
      ulimits: [{ name: 'nofile', soft: 1234, hard: 1234 }],
      healthcheck: { test: ['CMD-SHELL', 'grep Seccomp: /proc/self/status; ulimit -n'], interval: 200 * ms },
    });
    const c = await until('a result', () => inspect(id), (c) => (c.State.Health?.Log.length ?? 0) >= 1);
    expect(c.State.Health!.Log[0]).toMatchObject({ ExitCode: 0, Output: 'Seccomp:\t2\n1234\n' });
    await call('container.remove', { id, force: true });
  });

  it('says why a check could not start (a command missing from the image)', async () => {
    const id = await runDetached(['sleep', '1000'], { healthcheck: { test: ['CMD', 'no-such-check'], interval: 200 * ms, retries: 1 } });
    const c = await until('unhealthy', () => inspect(id), (c) => c.State.Health?.Status === 'unhealthy');
    expect(c.State.Health!.Log[0].ExitCode).toBe(-1);
    expect(c.State.Health!.Log[0].Output).toContain('executable file not found');
    await call('container.remove', { id, force: true });
  });

  it('holds the checks while the container is paused', async () => {
    const id = await runDetached(['sleep', '1000'], { healthcheck: { test: ['CMD', 'true'], interval: 200 * ms } });
    await until('a result', () => inspect(id), (c) => (c.State.Health?.Log.length ?? 0) >= 1);
    await call('container.pause', { id });
    const before = (await inspect(id)).State.Health!.Log.map((l) => l.Start);
    await sleep(1000);
    expect((await inspect(id)).State.Health!.Log.map((l) => l.Start)).toEqual(before);
    await call('container.unpause', { id });
    await until('checks again', () => inspect(id), (c) => c.State.Health!.Log.at(-1)!.Start !== before.at(-1));
    await call('container.remove', { id, force: true });
  });
});

describe("the image's HEALTHCHECK", () => {
  it('is used when the container says nothing, merged field by field with --health-*, and --no-healthcheck turns it off', async () => {
    const { id: base } = await call('container.create', { image: temp.engine.image, cmd: ['true'] });
    const { imageId } = await call('container.commit', {
      id: base,
      reference: 'checked:1',
      changes: ['HEALTHCHECK --interval=200ms --retries=4 CMD echo from-image'],
    });
    expect(imageId).toMatch(/^sha256:/);

    const { id } = await call('container.create', { image: 'checked:1', cmd: ['sleep', '1000'] });
    expect((await inspect(id)).Config.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'echo from-image'], Interval: 200 * ms, Retries: 4 });
    await call('container.start', { id });
    const c = await until('a result', () => inspect(id), (c) => c.State.Health?.Status === 'healthy');
    expect(c.State.Health!.Log[0].Output).toBe('from-image\n');

    const { id: merged } = await call('container.create', { image: 'checked:1', cmd: ['true'], healthcheck: { timeout: 5000 * ms } });
    expect((await inspect(merged)).Config.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'echo from-image'], Interval: 200 * ms, Timeout: 5000 * ms, Retries: 4 });

    const off = await runDetached(['sleep', '1000'], { image: 'checked:1', healthcheck: { test: ['NONE'] } });
    // As dockerd 20.10: NONE, with the image's other fields merged in all the same.
    expect((await inspect(off)).Config.Healthcheck).toEqual({ Test: ['NONE'], Interval: 200 * ms, Retries: 4 });
    await sleep(600);
    expect((await inspect(off)).State.Health).toBeUndefined();
    expect(await statusOf(off)).toMatch(/^Up [^(]*$/);
  });

  it("refuses durations Docker's daemon refuses", async () => {
    const e = await errorOf(call('container.create', { image: temp.engine.image, cmd: ['true'], healthcheck: { test: ['CMD', 'true'], interval: 10_000 } }));
    expect(e).toMatchObject({ code: 'InvalidArgument', message: 'Interval in Healthcheck cannot be less than 1ms' });
    const r = await errorOf(call('container.create', { image: temp.engine.image, cmd: ['true'], healthcheck: { retries: -1 } }));
    expect(r.message).toBe('Retries in Healthcheck cannot be negative');
  });
});
