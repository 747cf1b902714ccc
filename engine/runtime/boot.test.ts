// After a reboot there are no monitors: `system boot` starts what dockerd
// would start as it comes up. The reboot is played on the real kernel: every
// monitor and container process is killed with SIGKILL and the run dirs go
// (a tmpfs /run after a power cut), then a new engine opens the store.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openLocalClient } from '../rpc/local';
import { useTempEngine } from '../testing/useTempEngine';
import { until } from '../testing/waits';
import { processRunning } from './shim';

const temp = useTempEngine();
const { call } = temp;

async function container(name: string, restart: string | undefined, cmd = ['sleep', '1000']): Promise<string> {
  const restartPolicy = restart === undefined ? undefined : { name: restart.split(':')[0], maximumRetryCount: Number(restart.split(':')[1] ?? 0) };
  const { id } = await call('container.create', { image: temp.engine.image, name, cmd, ...(restartPolicy ? { restartPolicy } : {}) });
  return id;
}

/** What is mounted at or under `dir` (a bound network namespace), deepest first. */
function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\040/g, ' ') ?? '')
    .filter((point) => point === dir || point.startsWith(dir + '/'))
    .reverse();
}

/** A power cut: every monitor and container process dies at once, and the run dirs with them (their mounts too). */
async function powerCut(ids: string[]): Promise<void> {
  const killed: number[] = [];
  for (const id of ids) {
    const run = path.join(temp.engine.root, 'run', id);
    for (const file of ['monitor.pid', 'init.pid']) {
      try {
        const pid = Number(fs.readFileSync(path.join(run, file), 'utf8'));
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // not running
      }
    }
    for (const point of mountsUnder(run)) spawnSync('umount', ['-l', point]);
    fs.rmSync(run, { recursive: true, force: true });
  }
  for (const pid of killed) await until(`pid ${pid} to die`, async () => processRunning(pid), (running) => !running);
}

it("starts what dockerd starts at boot: always (even stopped by hand), unless-stopped unless stopped, on-failure with retries left", async () => {
  const ids = {
    always: await container('always', 'always'),
    alwaysStopped: await container('always-stopped', 'always'),
    unlessStopped: await container('unless-stopped', 'unless-stopped'),
    unlessStoppedStopped: await container('unless-stopped-stopped', 'unless-stopped'),
    onFailure: await container('on-failure', 'on-failure'),
    onFailureSpent: await container('on-failure-spent', 'on-failure:1', ['false']),
    none: await container('no-policy', undefined),
    neverStarted: await container('never-started', 'always'),
  };
  for (const [key, id] of Object.entries(ids)) if (key !== 'neverStarted') await call('container.start', { id });
  await call('container.stop', { id: ids.alwaysStopped, timeout: 0 });
  await call('container.stop', { id: ids.unlessStoppedStopped, timeout: 0 });
  await until('the spent retry', () => call('container.inspect', { id: ids.onFailureSpent }), (c) => c.State.Status === 'exited' && c.RestartCount === 1);

  await powerCut(Object.values(ids));
  const after = openLocalClient({ root: temp.engine.root });
  try {
    // The new engine finds them stopped: the monitors left no exit record.
    const before = await after.call('container.list', { all: true });
    expect(before.filter((c) => c.state === 'running')).toEqual([]);

    const report = await after.call('system.boot', {});
    expect(report.failed).toEqual([]);
    expect(report.started.sort()).toEqual(['always', 'always-stopped', 'on-failure', 'unless-stopped']);
    const running = (await after.call('container.list', {})).map((c) => c.names[0]).sort();
    expect(running).toEqual(['always', 'always-stopped', 'on-failure', 'unless-stopped']);
    // As a start by hand: the count starts over, and the policy is in force again.
    const always = await after.call('container.inspect', { id: 'always' });
    expect(always.RestartCount).toBe(0);
    process.kill(always.State.Pid, 'SIGKILL');
    await until('its restart', () => after.call('container.inspect', { id: 'always' }), (c) => c.RestartCount === 1 && c.State.Status === 'running');

    // Boot again changes nothing: what runs, runs.
    expect((await after.call('system.boot', {})).started).toEqual([]);
  } finally {
    after.close();
  }
});
