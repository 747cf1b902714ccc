import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(() => t.dispose());

describe('container.processes', () => {
  it('shows PID 1 and its child with their pids inside and outside, and the namespaces', async () => {
    const { id } = await t.client.call('container.create', { image: t.image, cmd: ['sh', '-c', 'sleep 30 & wait'] });
    await t.client.call('container.start', { id });
    // The shell forks its child right after it starts: on a busy machine that can take a while.
    let space = await t.client.call('container.processes', { id });
    for (let i = 0; i < 250 && !space.processes.some((p) => p.cmd === 'sleep 30'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      space = await t.client.call('container.processes', { id });
    }
    const init = space.processes.find((p) => p.nsPid === 1)!;
    const sleeper = space.processes.find((p) => p.cmd === 'sleep 30')!;
    expect(init.nsPid).toBe(1);
    expect(init.cmd).toBe('sh -c sleep 30 & wait');
    expect(init.pid).not.toBe(1); // on the host it is some other pid
    expect(sleeper).toMatchObject({ ppid: init.pid, cmd: 'sleep 30', user: 'root' });
    expect(sleeper.nsPid).toBeGreaterThan(1);
    expect(space.namespaces.pid).toMatch(/^pid:\[\d+\]$/);
    expect(space.namespaces.pid).toBe(fs.readlinkSync(`/proc/${init.pid}/ns/pid`));
    // Its own pid, mount and uts namespaces; the host's are others.
    for (const kind of ['pid', 'mnt', 'uts', 'ipc', 'net']) expect(space.namespaces[kind]).not.toBe(space.hostNamespaces[kind]);
  });

  it('refuses a container that does not run, as top does', async () => {
    const { id } = await t.client.call('container.create', { image: t.image, cmd: ['true'] });
    await expect(t.client.call('container.processes', { id })).rejects.toMatchObject({ code: 'Conflict' });
  });
});
