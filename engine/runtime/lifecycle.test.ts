// The container lifecycle on the real kernel, through the engine's API (the
// app's path): states and refusals, exit codes, signals with a grace period,
// pause on both cgroup versions, exec in the container's pid namespace, rm
// leaving nothing behind, and the classic happiness.txt experiment.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalClient } from '../rpc/local';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { errorOf } from '../testing/waits';
import { createCgroups, saveCgroups } from './cgroups';
import { shimStart } from './shim';


let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

const call: TempEngine['client']['call'] = (name, arg) => t.client.call(name, arg);
const inspect = (id: string) => call('container.inspect', { id });
const cgroupDirs = (id: string): string[] => JSON.parse(fs.readFileSync(path.join(t.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findFiles(dir: string, name: string): string[] {
  const out = execFileSync('find', [dir, '-name', name], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

async function runDetached(cmd: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const { id } = await call('container.create', { image: t.image, cmd, ...extra });
  await call('container.start', { id });
  return id;
}

describe('the classic experiment', () => {
  it('puts happiness.txt in the container writable layer only', async () => {
    const r = await t.run(['touch', 'happiness.txt']);
    expect(r.exitCode).toBe(0);
    const c = await inspect(r.id);
    expect(c.State.Status).toBe('exited');
    const found = findFiles(t.root, 'happiness.txt');
    expect(found).toEqual([path.join(t.root, 'containers', r.id, 'upper', 'happiness.txt')]);
    expect(c.GraphDriver.Data.UpperDir).toBe(path.join(t.root, 'containers', r.id, 'upper'));
    expect(findFiles(path.join(t.root, 'layers'), 'happiness.txt')).toEqual([]);
  });

  it('deleting an image file leaves the layer untouched and a whiteout in the writable layer', async () => {
    const r = await t.run(['rm', '/etc/group']);
    expect(r.exitCode).toBe(0);
    const upper = path.join(t.root, 'containers', r.id, 'upper');
    const st = fs.lstatSync(path.join(upper, 'etc', 'group'));
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(0);
    const lower = (await inspect(r.id)).GraphDriver.Data.LowerDir.split(':');
    expect(lower.some((d) => fs.existsSync(path.join(d, 'etc', 'group')))).toBe(true);
    expect(await call('container.changes', { id: r.id })).toEqual([
      { kind: 'C', path: '/etc' },
      { kind: 'D', path: '/etc/group' },
    ]);
  });
});

describe('processes and exit codes', () => {
  it('returns the process exit code and its output, stdout and stderr apart', async () => {
    const r = await t.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect((await inspect(r.id)).State).toMatchObject({ Status: 'exited', ExitCode: 3 });
  });

  it('refuses a command missing from the image (127) and leaves the container created', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['no-such-command'] });
    const e = await errorOf(collect(t.client, id));
    expect(e.code).toBe('CommandNotFound');
    expect(e.message).toContain('exec: "no-such-command": executable file not found in $PATH');
    expect((await inspect(id)).State).toMatchObject({ Status: 'created', ExitCode: 127 });
  });

  it('refuses a file that cannot be executed (126)', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['/etc/passwd'] });
    const e = await errorOf(collect(t.client, id));
    expect(e.code).toBe('CannotExecute');
    expect(e.message).toContain('permission denied');
  });

  it('runs in its own namespaces with Docker isolation', async () => {
    const script = [
      'hostname',
      'grep -E "^Cap(Eff|Bnd)" /proc/self/status',
      'ls /dev | tr "\\n" " "; echo',
      'touch /sys/x 2>/dev/null && echo sys-rw || echo sys-ro',
      'wc -c < /proc/keys',
      'echo pid=$$',
      'ls /sys/class/net | tr "\\n" " "; echo',
    ].join('; ');
    const r = await t.run(['sh', '-c', script]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(r.id.slice(0, 12));
    expect(lines[1]).toBe('CapEff:\t00000000a80425fb');
    expect(lines[2]).toBe('CapBnd:\t00000000a80425fb');
    // Docker's /dev, plus /dev/core (a link to /proc/kcore, masked) as runc makes it.
    expect(lines[3].trim().split(' ').filter((d) => d !== 'core')).toEqual(
      ['fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero'],
    );
    expect(lines[4]).toBe('sys-ro');
    expect(lines[5].trim()).toBe('0');
    expect(lines[6]).toBe('pid=1');
    // Docker's default: the default bridge (eth0) beside its own loopback.
    expect(lines[7].trim()).toBe('eth0 lo');
  });

  it('applies -e, -w (created when missing), -u and -h', async () => {
    const { id } = await call('container.create', {
      image: t.image,
      cmd: ['sh', '-c', 'echo $GREETING; pwd; id -u; id -g; hostname'],
      env: ['GREETING=hello'],
      workingDir: '/srv/app',
      user: 'nobody',
      hostname: 'box',
    });
    const r = await collect(t.client, id);
    expect(r.stdout.split('\n')).toEqual(['hello', '/srv/app', '65534', '65534', 'box', '']);
  });

  it('closes the stdin of run -i when its client goes away (StdinOnce)', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sh', '-c', 'cat; echo done'], openStdin: true });
    const handle = t.client.open('container.startAttached', { id, stdin: true }, { onMessage: () => undefined, onEnd: () => undefined });
    handle.send({ data: Buffer.from('typed\n') });
    for (let i = 0; i < 500 && (await inspect(id)).State.Status !== 'running'; i++) await sleep(10);
    await sleep(200);
    handle.close(); // the client dies: no close-stdin frame, just gone
    expect((await call('container.wait', { id })).statusCode).toBe(0);
    const log = fs.readFileSync(path.join(t.root, 'containers', id, 'log.json'), 'utf8');
    expect(log.split('\n').filter(Boolean).map((l) => JSON.parse(l).log)).toEqual(['typed\n', 'done\n']);
  });

  it('gives -t a terminal of the container own devpts, as runc does', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sh', '-c', 'tty; readlink /proc/self/fd/1'], tty: true });
    const r = await collect(t.client, id);
    expect(r.stdout.split('\r\n')).toEqual(['/dev/pts/0', '/dev/pts/0', '']);
  });

  it('ends an attached stream when its monitor is killed, instead of waiting for ever', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sleep', '1000'] });
    const ended = new Promise<unknown>((resolve) => t.client.open('container.startAttached', { id }, { onMessage: () => undefined, onEnd: resolve }));
    for (let i = 0; i < 100 && (await inspect(id)).State.Status !== 'running'; i++) await sleep(10);
    process.kill(Number(fs.readFileSync(path.join(t.root, 'run', id, 'monitor.pid'), 'utf8')), 'SIGKILL');
    expect(await ended).toMatchObject({ code: 'Unavailable' });
    await call('container.remove', { id, force: true });
  });

  it('writes a docker json-file log', async () => {
    const r = await t.run(['sh', '-c', 'echo one; echo two >&2']);
    const log = fs.readFileSync(path.join(t.root, 'containers', r.id, 'log.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((l) => [l.log, l.stream])).toEqual([
      ['one\n', 'stdout'],
      ['two\n', 'stderr'],
    ]);
    expect(log[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });
});

describe('states and transitions', () => {
  it('walks created → running → paused → running → exited, refusing what Docker refuses', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sleep', '1000'], name: 'walker' });
    expect((await inspect('walker')).State.Status).toBe('created');
    expect((await errorOf(call('container.pause', { id }))).message).toBe(`Container ${id} is not running`);
    expect((await errorOf(call('container.unpause', { id }))).message).toBe(`Container ${id} is not paused`);

    await call('container.start', { id: 'walker' });
    expect((await inspect(id)).State).toMatchObject({ Status: 'running', Running: true });
    await call('container.start', { id }); // starting a running container is a no-op
    const rm = await errorOf(call('container.remove', { id }));
    expect(rm.code).toBe('Conflict');
    expect(rm.message).toContain('container is running: stop the container before removing or force remove');

    await call('container.pause', { id });
    expect((await inspect(id)).State).toMatchObject({ Status: 'paused', Paused: true });
    expect((await errorOf(call('container.start', { id }))).message).toBe('cannot start a paused container, try unpause instead');
    expect((await errorOf(call('container.pause', { id }))).message).toBe(`Container ${id} is already paused`);
    await call('container.unpause', { id });
    expect((await inspect(id)).State.Status).toBe('running');

    // sleep is PID 1 without a TERM handler: only the SIGKILL after the grace period ends it.
    const t0 = Date.now();
    await call('container.stop', { id, timeout: 1 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(5000);
    expect((await inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137, Running: false });
    expect((await errorOf(call('container.kill', { id }))).code).toBe('Conflict');

    // An exited container starts again.
    await call('container.start', { id });
    expect((await inspect(id)).State.Status).toBe('running');
    await call('container.kill', { id });
    expect((await inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 137 });
  });

  it('stops at once a process that handles the stop signal, and honours --stop-signal', async () => {
    const trap = ['sh', '-c', 'trap "exit 42" USR1; trap "exit 43" TERM; touch /ready; while :; do sleep 0.05; done'];
    // A signal that arrives before the shell set its traps meets PID 1's default: ignored.
    const trapsSet = async (id: string) => {
      for (let i = 0; i < 100 && !fs.existsSync(path.join(t.root, 'containers', id, 'upper', 'ready')); i++) await sleep(10);
    };
    const a = await runDetached(trap);
    await trapsSet(a);
    const t0 = Date.now();
    await call('container.stop', { id: a, timeout: 10 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await inspect(a)).State.ExitCode).toBe(43);

    const b = await runDetached(trap, { stopSignal: 'SIGUSR1' });
    await trapsSet(b);
    await call('container.stop', { id: b });
    expect((await inspect(b)).State.ExitCode).toBe(42);

    const c = await runDetached(trap);
    await trapsSet(c);
    await call('container.kill', { id: c, signal: 'TERM' });
    expect((await call('container.wait', { id: c })).statusCode).toBe(43);
  });

  it.each(['v1', 'v2'] as const)('pauses through the cgroup %s freezer without a signal', async (kind) => {
    process.env.STRATA_FREEZER = kind;
    try {
      const id = await runDetached(['sh', '-c', 'trap "echo got-signal" CONT TSTP; while :; do echo tick >> /ticks; sleep 0.02; done']);
      await sleep(200);
      await call('container.pause', { id });
      const dir = cgroupDirs(id).find((d) => (kind === 'v2' ? d.includes('/unified/') : d.includes('/freezer/')))!;
      if (kind === 'v1') expect(fs.readFileSync(path.join(dir, 'freezer.state'), 'utf8').trim()).toBe('FROZEN');
      else expect(fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8')).toMatch(/^frozen 1$/m);
      const ticks = path.join(t.root, 'containers', id, 'upper', 'ticks');
      const frozenAt = fs.readFileSync(ticks, 'utf8').length;
      await sleep(300);
      expect(fs.readFileSync(ticks, 'utf8').length).toBe(frozenAt);
      await call('container.unpause', { id });
      await sleep(300);
      expect(fs.readFileSync(ticks, 'utf8').length).toBeGreaterThan(frozenAt);
      await call('container.remove', { id, force: true });
      const logs = fs.existsSync(path.join(t.root, 'containers', id)) ? 'left' : 'gone';
      expect(logs).toBe('gone');
    } finally {
      delete process.env.STRATA_FREEZER;
    }
  });

  it('execs in the container pid namespace', async () => {
    const id = await runDetached(['sleep', '1000']);
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      t.client.open('container.exec', { id, cmd: ['ps', '-o', 'pid,args'] }, {
        onMessage: (m) => ('data' in m ? (text += Buffer.from(m.data).toString()) : undefined),
        onEnd: (e) => (e ? reject(new Error(e.message)) : resolve(text)),
      });
    });
    const rows = out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows[0]).toEqual(['1', 'sleep', '1000']);
    expect(rows.length).toBe(2); // sleep and ps itself: nothing of the host
    const top = await call('container.top', { id });
    expect(top.processes.some((p) => p.join(' ').includes('sleep 1000'))).toBe(true);
  });

  it('rm leaves nothing mounted, running or on disk', async () => {
    const id = await runDetached(['sleep', '1000']);
    const { State } = await inspect(id);
    const cgroups = cgroupDirs(id);
    expect(cgroups.every((d) => fs.existsSync(d))).toBe(true);
    await call('container.remove', { id, force: true });
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(id);
    expect(() => process.kill(State.Pid, 0)).toThrow();
    expect(fs.existsSync(path.join(t.root, 'containers', id))).toBe(false);
    expect(fs.existsSync(path.join(t.root, 'run', id))).toBe(false);
    expect(cgroups.filter((d) => fs.existsSync(d))).toEqual([]);
    expect((await errorOf(inspect(id))).message).toBe(`No such container: ${id}`);
  });

  it('rm -f during a restart waiting out its grace period: whichever starts or kills last, rm leaves nothing running', async () => {
    // PID 1 ignores SIGTERM: the restart's stop waits its 10 s; the forced rm's kill ends that wait.
    const id = await runDetached(['sleep', '1000'], { networkMode: 'none' });
    const cgroups = cgroupDirs(id);
    const restart = call('container.restart', { id, timeout: 10 }).catch(() => undefined);
    await sleep(300);
    await call('container.remove', { id, force: true });
    // The restart's start may come before the removal (rm then kills it too) or during or after it (and fails).
    await restart;
    expect((await errorOf(inspect(id))).message).toBe(`No such container: ${id}`);
    const monitors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(id));
    expect(monitors).toEqual([]);
    expect(cgroups.filter((d) => fs.existsSync(d))).toEqual([]);
    expect([path.join(t.root, 'run', id), path.join(t.root, 'containers', id)].filter((d) => fs.existsSync(d))).toEqual([]);
  });
});

describe('bad input changes nothing', () => {
  it('names: invalid, duplicate, unknown; ids: ambiguous prefixes', async () => {
    const before = (await call('container.list', { all: true })).length;
    expect((await errorOf(call('container.create', { image: t.image, cmd: ['true'], name: 'bad name!' }))).code).toBe('InvalidArgument');
    await call('container.create', { image: t.image, cmd: ['true'], name: 'taken' });
    const dup = await errorOf(call('container.create', { image: t.image, cmd: ['true'], name: 'taken' }));
    expect(dup.message).toMatch(/^Conflict\. The container name "\/taken" is already in use by container "[0-9a-f]{64}"/);
    expect((await errorOf(call('container.create', { image: 'no-such-image', cmd: ['true'] }))).message).toBe('No such image: no-such-image:latest');
    expect((await errorOf(call('container.start', { id: 'no-such-container' }))).message).toBe('No such container: no-such-container');
    expect((await call('container.list', { all: true })).length).toBe(before + 1);

    // Sixteen more ids make two share a first hex digit (pigeonhole).
    const ids = [];
    for (let i = 0; i < 16; i++) ids.push((await call('container.create', { image: t.image, cmd: ['true'] })).id);
    const all = (await call('container.list', { all: true })).map((c) => c.id);
    const digit = [...'0123456789abcdef'].find((d) => all.filter((id) => id.startsWith(d)).length > 1)!;
    expect((await errorOf(call('container.remove', { id: digit }))).message).toBe(`multiple IDs found with provided prefix: ${digit}`);
    const unique = all[0].slice(0, 12);
    expect((await inspect(unique)).Id).toBe(all[0]);
  });

  it('a container whose starter died before recording the start is found running and rm -f stops it', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sleep', '1000'] });
    // What startContainer does up to the shim's report, and then a crash: no row update.
    const runDir = path.join(t.root, 'run', id);
    fs.mkdirSync(runDir, { recursive: true });
    const cgroups = createCgroups(id);
    saveCgroups(path.join(t.root, 'containers', id, 'cgroups.json'), cgroups);
    const { ready } = await shimStart({ bundle: path.join(t.root, 'containers', id), runDir, cgroups: cgroups.dirs, logFile: path.join(t.root, 'containers', id, 'log.json'), attach: false });
    expect((await inspect(id)).State.Status).toBe('created');

    const other = openLocalClient({ root: t.root }); // the next engine to open the store
    try {
      expect((await other.call('container.inspect', { id })).State).toMatchObject({ Status: 'running', Pid: ready.pid });
      await other.call('container.remove', { id, force: true });
    } finally {
      other.close();
    }
    expect(() => process.kill(ready.pid, 0)).toThrow();
    expect(cgroups.dirs.filter((d) => fs.existsSync(d))).toEqual([]);
  });

  it('a container half-made by a crash is listed and removable', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['true'] });
    fs.rmSync(path.join(t.root, 'containers', id), { recursive: true }); // as if the CLI died mid-create
    expect((await call('container.list', { all: true })).some((c) => c.id === id)).toBe(true);
    await call('container.remove', { id, force: true });
    expect((await call('container.list', { all: true })).some((c) => c.id === id)).toBe(false);
  });
});

describe('events', () => {
  it('streams every state change in order', async () => {
    const seen: string[] = [];
    const sub = t.client.open('events', {}, { onMessage: (e) => e.type === 'container' && seen.push(e.action), onEnd: () => undefined });
    await sleep(50);
    const r = await t.run(['true']);
    await call('container.rename', { id: r.id, name: 'renamed-one' });
    await call('container.remove', { id: r.id });
    await sleep(300);
    sub.close();
    expect(seen).toEqual(['create', 'attach', 'start', 'die', 'rename', 'destroy']);
  });

  it('hears a detached container die on its own, with its exit code', async () => {
    const died: Record<string, string>[] = [];
    const sub = t.client.open('events', {}, {
      onMessage: (e) => e.type === 'container' && e.action === 'die' && died.push(e.attributes),
      onEnd: () => undefined,
    });
    await sleep(50);
    const id = await runDetached(['sh', '-c', 'sleep 0.2; exit 5']);
    for (let i = 0; i < 100 && died.length === 0; i++) await sleep(20);
    sub.close();
    expect(died).toEqual([expect.objectContaining({ exitCode: '5' })]);
    expect((await inspect(id)).State).toMatchObject({ Status: 'exited', ExitCode: 5 });
  });
});
