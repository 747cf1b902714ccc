// The kernel steps each operation records, checked against what the kernel
// says it did: the overlay options in the container's mountinfo, its
// namespaces in /proc, the limits in its cgroup files, the signal its own
// shell trapped, the freezer file's content, the digests of the blobs save
// wrote and of the layer commit made.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { capabilitiesOfMask, launcherSteps, shellWord, signalName } from './kernelSteps';

type KernelEvent = Extract<EngineEvent, { type: 'kernel' }>;

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

/** The events recorded for `id` since `since` (unix ns), in order. */
async function eventsOf(id: string, since: number): Promise<EngineEvent[]> {
  const found: EngineEvent[] = [];
  await new Promise<void>((resolve, reject) =>
    // Up to the end of this millisecond: event times carry sub-millisecond digits.
    t.client.open('events', { since, until: (Date.now() + 1) * 1e6 }, {
      onMessage: (e) => e.id === id && found.push(e),
      onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
    }),
  );
  return found;
}

/** The kernel events recorded for `id` since `since` (unix ns), in order. */
const kernelSteps = async (id: string, since: number) => (await eventsOf(id, since)).filter((e): e is KernelEvent => e.type === 'kernel');

const one = (steps: KernelEvent[], step: string, where: (d: Record<string, string>) => boolean = () => true) => {
  const hit = steps.filter((s) => s.step === step && where(s.detail));
  expect(hit, `${step} steps`).toHaveLength(1);
  return hit[0]!.detail;
};

async function running(cmd: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; pid: number; since: number }> {
  const since = Date.now() * 1e6;
  const { id } = await t.client.call('container.create', { image: t.image, cmd, networkMode: 'none', ...extra });
  await t.client.call('container.start', { id });
  const pid = (await t.client.call('container.inspect', { id })).State.Pid;
  return { id, pid, since };
}

const upperFile = (id: string, name: string) => fs.readFileSync(path.join(t.root, 'containers', id, 'upper', name), 'utf8').trim();

/** Waits for the file the container's trap writes (a poll: the test asserts its content, not its timing). */
async function waitForUpperFile(id: string, name: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    try {
      return upperFile(id, name);
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`${name} never appeared in the writable layer`);
}

/** sh as PID 1 writing the name of each signal it gets into /sig (and exiting on TERM). */
const trapping = ['sh', '-c', 'trap "echo USR1 > /sig" USR1; trap "echo TERM > /sig; exit 0" TERM; echo ready > /ready; while :; do sleep 0.1; done'];

describe('a start', () => {
  it('records the overlay options the container really has, its namespaces beside the host, its limits and capabilities', async () => {
    const { id, pid, since } = await running(['sleep', '30'], { memory: 64 * 1024 * 1024, pidsLimit: 50 });
    const steps = await kernelSteps(id, since);

    // The root's line of the container's own mountinfo: "... / / rw,... - overlay overlay rw,lowerdir=...,upperdir=...,workdir=..."
    const rootLine = fs.readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').find((l) => l.split(' ')[4] === '/' && l.includes(' - overlay '))!;
    const superOptions = Object.fromEntries(rootLine.split(' - overlay ')[1]!.split(' ')[1]!.split(',').map((o) => o.split('=') as [string, string]));
    const mount = one(steps, 'mount', (d) => d.type === 'overlay');
    expect(mount.lowerdir).toBe(superOptions.lowerdir);
    expect(mount.upperdir).toBe(superOptions.upperdir);
    expect(mount.workdir).toBe(superOptions.workdir);
    expect(mount.upperdir).toBe(path.join(t.root, 'containers', id, 'upper'));
    expect(mount.cwd).toBe(path.join(t.root, 'layers'));
    expect(mount.command).toBe(`cd ${mount.cwd} && mount -t overlay overlay -o ${mount.options} ${mount.target}`);

    const ns = one(steps, 'namespaces');
    for (const kind of ['pid', 'mnt', 'uts', 'ipc', 'net']) {
      expect(ns[kind]).toBe(fs.readlinkSync(`/proc/${pid}/ns/${kind}`));
      expect(ns[`host.${kind}`]).toBe(fs.readlinkSync(`/proc/self/ns/${kind}`));
      expect(ns[kind]).not.toBe(ns[`host.${kind}`]);
    }
    expect(one(steps, 'clone').pid).toBe(String(pid));

    // The limits are in the cgroup files the steps name, with the values they show.
    const memory = one(steps, 'cgroup', (d) => 'memory.limit_in_bytes' in d);
    expect(memory['memory.limit_in_bytes']).toBe('67108864');
    expect(fs.readFileSync(path.join(memory.path, 'memory.limit_in_bytes'), 'utf8').trim()).toBe('67108864');
    expect(memory.command).toContain(`echo 67108864 > ${memory.path}/memory.limit_in_bytes`);
    expect(memory.command).toMatch(new RegExp(`echo ${pid} > ${memory.path}/cgroup.procs$`));
    const pids = one(steps, 'cgroup', (d) => 'pids.max' in d);
    expect(fs.readFileSync(path.join(pids.path, 'pids.max'), 'utf8').trim()).toBe(pids['pids.max']);
    expect(fs.readFileSync(path.join(pids.path, 'cgroup.procs'), 'utf8')).toContain(String(pid));

    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const caps = one(steps, 'capabilities');
    expect(caps.effective).toBe(capabilitiesOfMask(/^CapEff:\s*(\w+)$/m.exec(status)![1]!).join(','));
    expect(caps.bounding).toBe(capabilitiesOfMask(/^CapBnd:\s*(\w+)$/m.exec(status)![1]!).join(','));
    expect(caps.effective.split(',')).toContain('CAP_CHOWN');
    expect(caps.effective.split(',')).not.toContain('CAP_SYS_ADMIN');

    expect(one(steps, 'seccomp').profile).toBe('default');
    expect(Number(one(steps, 'seccomp').syscalls)).toBeGreaterThan(300);
    expect(one(steps, 'pivot_root').new_root).toBe(mount.target);
    expect(one(steps, 'exec')).toMatchObject({ path: '/bin/sleep', command: 'sleep 30' });
    // Every step of the start is one moment, in the launcher's order.
    expect(steps.map((s) => s.step).slice(0, 2)).toEqual(['clone', 'namespaces']);
    expect(steps.findIndex((s) => s.step === 'mount')).toBeLessThan(steps.findIndex((s) => s.step === 'pivot_root'));
  });
});

describe('a restart policy', () => {
  it("records each start's steps and each exit's once, a start's at its time, enriched as the first start's", async () => {
    const since = Date.now() * 1e6;
    const { id } = await t.client.call('container.create', {
      image: t.image,
      cmd: ['sh', '-c', 'exit 3'],
      networkMode: 'none',
      memory: 64 * 1024 * 1024,
      restartPolicy: { name: 'on-failure', maximumRetryCount: 2 },
    });
    await t.client.call('container.start', { id });
    // Looked at all the while, as the app does: launches and exits under way are met half-written.
    for (const deadline = Date.now() + 20_000; (await t.client.call('container.inspect', { id })).State.Status !== 'exited'; ) {
      expect(Date.now()).toBeLessThan(deadline);
    }
    const events = await eventsOf(id, since);
    const steps = events.filter((e): e is KernelEvent => e.type === 'kernel');

    // Every record the launcher and the monitor wrote is one event, in their order (the restarts' news aside).
    const records = fs.readFileSync(path.join(t.root, 'run', id, 'kernel.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: string; detail: Record<string, string> });
    const told = records.filter((r) => !['restarting', 'restarted'].includes(r.step)).map((r) => (r.step === 'credentials' ? 'capabilities' : r.step));
    expect(steps.map((s) => s.step)).toEqual(told);

    const clones = steps.filter((s) => s.step === 'clone');
    expect(clones).toHaveLength(3);
    expect(steps.filter((s) => s.step === 'exit').map((s) => s.detail.exitCode)).toEqual(['3', '3', '3']);
    const starts = events.filter((e) => e.type === 'container' && e.action === 'start');
    expect(starts).toHaveLength(3);
    for (const [n, clone] of clones.entries()) {
      // One start's steps share its time, up to its exec; a restart's is the time of its start event.
      const launch = steps.slice(steps.indexOf(clone), steps.findIndex((s, i) => i > steps.indexOf(clone) && s.step === 'exec') + 1);
      expect(new Set(launch.map((s) => s.time))).toEqual(new Set([clone.time]));
      if (n > 0) expect(clone.time).toBe(starts[n]!.time);
      const pid = clone.detail.pid;
      expect(launch.find((s) => s.step === 'namespaces')!.detail.command).toBe(`ls -l /proc/${pid}/ns`);
      expect(launch.find((s) => s.step === 'cgroup' && 'memory.limit_in_bytes' in s.detail)!.detail['memory.limit_in_bytes']).toBe('67108864');
      expect(launch.find((s) => s.step === 'exec')!.detail.command).toBe(`sh -c 'exit 3'`);
    }
  });
});

describe('signals', () => {
  it('records the SIGTERM stop sends, and the container trapped that very signal', async () => {
    const { id, pid, since } = await running(trapping);
    await waitForUpperFile(id, 'ready');
    await t.client.call('container.stop', { id, timeout: 10 });
    expect(upperFile(id, 'sig')).toBe('TERM');
    const steps = await kernelSteps(id, since);
    expect(one(steps, 'signal')).toEqual({ signal: 'SIGTERM', number: '15', pid: String(pid), reason: 'stop', command: `kill -TERM ${pid}` });
    expect(one(steps, 'exit')).toMatchObject({ exitCode: '0' });
  });

  it('records the SIGKILL after the grace period when the process ignores SIGTERM', async () => {
    // sleep as PID 1 has no handler for SIGTERM: the kernel ignores it there.
    const { id, pid, since } = await running(['sleep', '60']);
    await t.client.call('container.stop', { id, timeout: 1 });
    expect((await t.client.call('container.inspect', { id })).State.ExitCode).toBe(137);
    const signals = (await kernelSteps(id, since)).filter((s) => s.step === 'signal').map((s) => s.detail);
    expect(signals).toEqual([
      { signal: 'SIGTERM', number: '15', pid: String(pid), reason: 'stop', command: `kill -TERM ${pid}` },
      { signal: 'SIGKILL', number: '9', pid: String(pid), reason: 'stop-timeout', command: `kill -KILL ${pid}` },
    ]);
  });

  it('records the signal kill sends', async () => {
    const { id, pid, since } = await running(trapping);
    await waitForUpperFile(id, 'ready');
    await t.client.call('container.kill', { id, signal: 'USR1' });
    expect(await waitForUpperFile(id, 'sig')).toBe('USR1');
    const steps = await kernelSteps(id, since);
    expect(one(steps, 'signal')).toMatchObject({ signal: 'SIGUSR1', number: String(os.constants.signals.SIGUSR1), pid: String(pid), reason: 'kill', command: `kill -USR1 ${pid}` });
    await t.client.call('container.remove', { id, force: true });
    expect((await kernelSteps(id, since)).filter((s) => s.step === 'signal').map((s) => s.detail.reason)).toEqual(['kill', 'remove']);
  });
});

describe('pause', () => {
  it.each(['v1', 'v2'] as const)('records the %s freezer file written, which holds that state', async (kind) => {
    process.env.STRATA_FREEZER = kind;
    try {
      const { id, since } = await running(['sleep', '30']);
      await t.client.call('container.pause', { id });
      const frozen = one(await kernelSteps(id, since), 'freeze');
      const file = kind === 'v1' ? 'freezer.state' : 'cgroup.freeze';
      expect(path.basename(frozen.file)).toBe(file);
      expect(frozen).toMatchObject({ state: kind === 'v1' ? 'FROZEN' : '1', freezer: kind, command: `echo ${frozen.state} > ${frozen.file}` });
      expect(fs.readFileSync(frozen.file, 'utf8').trim()).toBe(frozen.state);
      await t.client.call('container.unpause', { id });
      const [, thawed] = (await kernelSteps(id, since)).filter((s) => s.step === 'freeze').map((s) => s.detail);
      expect(thawed).toMatchObject({ file: frozen.file, state: kind === 'v1' ? 'THAWED' : '0' });
      expect(fs.readFileSync(thawed!.file, 'utf8').trim()).toBe(thawed!.state);
      await t.client.call('container.remove', { id, force: true });
    } finally {
      delete process.env.STRATA_FREEZER;
    }
  });
});

describe('commit and save', () => {
  it('records the upper dir tarred and the digests commit computed, and each blob save wrote', async () => {
    const { id } = await running(['sh', '-c', 'echo hi > /x; mkdir /d; touch /d/f; rm /bin/ls; echo done > /ready; sleep 30']);
    await waitForUpperFile(id, 'ready');
    const since = Date.now() * 1e6;
    const { imageId } = await t.client.call('container.commit', { id, reference: 'steps:v1' });
    const steps = await kernelSteps(imageId, since);
    const commit = one(steps, 'commit');
    const upper = path.join(t.root, 'containers', id, 'upper');
    const image = await t.client.call('image.inspect', { ref: imageId });
    expect(commit).toMatchObject({ container: id, upperdir: upper, digest: imageId, diff_id: image.RootFS.Layers.at(-1), command: `tar -c -C ${upper} . | sha256sum` });
    // x, d, d/f, ready, bin and the whiteout of bin/ls.
    expect(commit.files).toBe(execFileSync('find', [upper, '-mindepth', '1'], { encoding: 'utf8' }).trim().split('\n').length.toString());
    expect(commit.files).toBe('6');
    // The running container was frozen while its layer was read.
    const freezes = (await kernelSteps(id, since)).filter((s) => s.step === 'freeze').map((s) => s.detail.state);
    expect(freezes).toEqual([expect.stringMatching(/^(FROZEN|1)$/), expect.stringMatching(/^(THAWED|0)$/)]);

    const archive = path.join(t.root, 'steps.tar');
    const out = path.join(t.root, 'steps');
    await t.client.call('image.saveFile', { refs: ['steps:v1'], path: archive });
    fs.mkdirSync(out);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    const blobs = (await kernelSteps(imageId, since)).filter((s) => s.step === 'save').map((s) => s.detail);
    expect(blobs.map((b) => b.kind)).toEqual(['config', 'manifest', ...image.RootFS.Layers.map(() => 'layer')]);
    for (const blob of blobs) {
      const bytes = fs.readFileSync(path.join(out, blob.path));
      expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(blob.digest);
      expect(String(bytes.length)).toBe(blob.size);
      expect(blob.command).toBe(`sha256sum ${blob.path}`);
    }
    expect(blobs.filter((b) => b.kind === 'layer').map((b) => b.digest)).toEqual(image.RootFS.Layers);
  });
});

describe('the steps as records', () => {
  it('gives each launcher record its shell command', () => {
    const steps = launcherSteps(
      [
        { step: 'clone', detail: { flags: 'CLONE_NEWNS|CLONE_NEWPID', pid: '42' } },
        { step: 'mount', detail: { type: 'overlay', source: 'overlay', target: '/c/merged', data: 'lowerdir=l/A,upperdir=/c/upper,workdir=/c/work', cwd: '/l' } },
        { step: 'mount', detail: { type: 'bind', source: '/c/hosts', target: '/etc/hosts', data: '', options: 'rbind,ro' } },
        { step: 'mknod', detail: { path: '/dev/null', device: '1:3', mode: '0666' } },
        { step: 'credentials', detail: { uid: '0', gid: '0', cap_effective: '0000000000000001', cap_bounding: '0000000000000021' } },
        { step: 'exec', detail: { path: '/bin/sh' } },
      ],
      { limits: [], seccompProfile: 'default', args: ['sh', '-c', "echo 'hi there'"] },
    );
    expect(steps.map((s) => s.detail.command)).toEqual([
      'unshare --mount --pid --fork',
      'cd /l && mount -t overlay overlay -o lowerdir=l/A,upperdir=/c/upper,workdir=/c/work /c/merged',
      'mount --rbind -o ro /c/hosts /c/merged/etc/hosts',
      'mknod -m 0666 /c/merged/dev/null c 1 3',
      'setpriv --reuid=0 --regid=0 --bounding-set=-all,+chown,+kill --inh-caps=-all,+chown --ambient-caps=-all,+chown --',
      `sh -c ${shellWord("echo 'hi there'")}`,
    ]);
    expect(steps[4]).toMatchObject({ step: 'capabilities', detail: { effective: 'CAP_CHOWN', bounding: 'CAP_CHOWN,CAP_KILL' } });
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(signalName(9)).toBe('SIGKILL');
  });
});
