// Host devices and containers, on the real kernel. An image that ships
// device nodes (the host's terminal, a loop disk, memory) with mode 0666
// opens none of them, as root or as nobody; the v1 devices controller and
// the cgroup v2 BPF program each refuse them on their own (the container's
// process is moved out of the other hierarchy's cgroup to show it);
// --device and --privileged widen the rules as Docker's do.

import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineError } from '../errors';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { createCgroups, saveCgroups } from './cgroups';
import { isDeviceMode, parseDeviceMapping, type DeviceRule } from './devices';
import { readExitFile, shimStart } from './shim';

let t: TempEngine;
const image = 'devnodes:1';

beforeAll(async () => {
  t = await tempEngine();
  // An image whose layer holds device nodes anyone may open, were it not for the device cgroup.
  const made = await t.run([
    'sh',
    '-c',
    'mkdir /nodes && cd /nodes && mknod -m 666 tty0 c 4 0 && mknod -m 666 loop0 b 7 0 && mknod -m 666 mem c 1 1 && mknod -m 666 null c 1 3 && mknod -m 666 zero c 1 5 && mknod -m 666 urandom c 1 9',
  ]);
  expect(made.exitCode).toBe(0);
  await t.client.call('container.commit', { id: made.id, reference: image });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

/** Opens each path for reading (reading nothing), printing "PATH ok" or "PATH <why>". */
const openEach = (paths: string) =>
  `for f in ${paths}; do if err=$( (exec 3<"$f") 2>&1 ); then echo "$f ok"; else echo "$f \${err##*: }"; fi; done`;
const hostNodes = '/nodes/tty0 /nodes/loop0 /nodes/mem';
const ownNodes = '/nodes/null /dev/null /dev/zero /dev/full /dev/random /dev/urandom';

async function run(cmd: string, opts: Record<string, unknown> = {}): Promise<string> {
  const { id } = await t.client.call('container.create', { image, cmd: ['sh', '-c', cmd], ...opts });
  const r = await collect(t.client, id);
  return r.stdout + r.stderr;
}

/** Lines of "PATH ok|why" as an object. */
const outcomes = (out: string) => Object.fromEntries(out.trim().split('\n').map((l) => l.split(/ (.*)/s).slice(0, 2)));

/** Sends USR1 until the container is done: one sent before its shell set the trap is lost on PID 1. */
async function nudgeUntilDone(send: () => unknown, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await done()); i++) {
    await send();
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await done()).toBe(true);
}

const cgroupDirs = (id: string): string[] => JSON.parse(fs.readFileSync(path.join(t.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;
const devicesDir = (id: string) => cgroupDirs(id).find((d) => fs.existsSync(path.join(d, 'devices.allow')))!;
const v2Dir = (id: string) => cgroupDirs(id).find((d) => fs.existsSync(path.join(d, 'cgroup.controllers')))!;

describe('an image with device nodes of the host', () => {
  it.each(['root', 'nobody'])('opens none of them as %s, while its own devices work', async (user) => {
    const out = outcomes(await run(openEach(`${hostNodes} ${ownNodes}`), { user }));
    for (const node of hostNodes.split(' ')) expect(out[node]).toBe('Operation not permitted');
    for (const node of ownNodes.split(' ')) expect(out[node]).toBe('ok');
  });

  it('may make a node of any device, and still not open it', async () => {
    const out = await run(`mknod -m 666 /tmp/disk b 7 0 && ${openEach('/tmp/disk')}`);
    expect(out).toBe('/tmp/disk Operation not permitted\n');
  });

  it("has Docker's device list in its v1 devices cgroup and a BPF program on its cgroup v2, for exec too", async () => {
    const { id } = await t.client.call('container.create', { image, cmd: ['sleep', '100'] });
    await t.client.call('container.start', { id });
    const list = fs.readFileSync(path.join(devicesDir(id), 'devices.list'), 'utf8').trim().split('\n').sort();
    // As dockerd 20.10 with runc 1.1.5 leaves it on this machine.
    expect(list).toEqual(
      ['b *:* m', 'c *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 10:200 rwm', 'c 136:* rwm'].sort(),
    );
    const steps = fs.readFileSync(path.join(t.root, 'run', id, 'kernel.jsonl'), 'utf8');
    expect(steps).toContain(`"step":"devices","detail":{"cgroup":"${v2Dir(id)}","by":"bpf"`);
    // A process exec'd into it joins the same cgroups, and so the same list.
    let out = '';
    await new Promise<void>((resolve, reject) =>
      t.client.open('container.exec', { id, cmd: ['sh', '-c', openEach(hostNodes)] }, {
        onMessage: (m) => ('data' in m ? (out += Buffer.from(m.data).toString()) : undefined),
        onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
      }),
    );
    expect(Object.values(outcomes(out))).toEqual(['Operation not permitted', 'Operation not permitted', 'Operation not permitted']);
    await t.client.call('container.remove', { id, force: true });
  });
});

describe('each cgroup version on its own', () => {
  // The process waits for USR1 before it opens anything, so it can first be moved out of one hierarchy.
  const waiting = (script: string) => `trap "go=1" USR1; while [ -z "$go" ]; do sleep 0.02; done; ${script}`;

  async function movedOut(from: (id: string) => string[], opts: Record<string, unknown> = {}): Promise<Record<string, string>> {
    const script = openEach(`${hostNodes} /nodes/null /dev/xl`) + '; if err=$( (exec 3>/dev/xl) 2>&1 ); then echo "write ok"; else echo "write ${err##*: }"; fi';
    const { id } = await t.client.call('container.create', {
      image,
      cmd: ['sh', '-c', waiting(script)],
      devices: ['/dev/loop1:/dev/xl:r'],
      ...opts,
    });
    await t.client.call('container.start', { id });
    const { State } = await t.client.call('container.inspect', { id });
    // Into the shared parent, which restricts nothing: only the other hierarchy's rules are left.
    for (const dir of from(id)) fs.writeFileSync(path.join(path.dirname(dir), 'cgroup.procs'), String(State.Pid));
    await nudgeUntilDone(
      () => t.client.call('container.kill', { id, signal: 'USR1' }).catch(() => undefined),
      async () => fs.existsSync(path.join(t.root, 'run', id, 'exit.json')),
    );
    await t.client.call('container.wait', { id });
    const log = fs.readFileSync(path.join(t.root, 'containers', id, 'log.json'), 'utf8');
    return outcomes(
      log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).log)
        .join(''),
    );
  }

  // The host's nodes refused, the container's own and the --device one (read only) allowed.
  const refused = {
    '/nodes/tty0': 'Operation not permitted',
    '/nodes/loop0': 'Operation not permitted',
    '/nodes/mem': 'Operation not permitted',
    '/nodes/null': 'ok',
    '/dev/xl': 'ok',
    write: 'Operation not permitted',
  };

  it('refuses the host devices with only the BPF program of cgroup v2', async () => {
    expect(await movedOut((id) => [devicesDir(id)])).toEqual(refused);
  });

  it('refuses them with only the v1 devices controller', async () => {
    expect(await movedOut((id) => [v2Dir(id)])).toEqual(refused);
  });

  it('opens them once out of both: what the two refuse is really the host', async () => {
    const out = await movedOut((id) => [devicesDir(id), v2Dir(id)]);
    expect(out['/nodes/loop0']).toBe('ok');
    expect(out['/nodes/mem']).not.toBe('Operation not permitted'); // this kernel has no /dev/mem: ENXIO
    expect(out.write).toBe('ok');
  });
});

describe('any device rules', () => {
  // The kernel's v1 controller is the reference: for random rule lists, the
  // BPF program generated for cgroup v2 must refuse exactly what it refuses.
  const probe = `trap "go=1" USR1; while [ -z "$go" ]; do sleep 0.02; done
    for f in /nodes/null /nodes/zero /nodes/urandom /nodes/tty0 /nodes/loop0; do
      for m in "<" ">"; do if (eval "exec 3$m$f") 2>&-; then echo "$f$m ok"; else echo "$f$m no"; fi; done
    done
    for n in "b 7 0" "c 4 0" "c 1 5"; do if mknod /tmp/n $n 2>&-; then echo "mknod $n ok"; rm /tmp/n; else echo "mknod $n no"; fi; done`;
  // (No 2>/dev/null: the probe opens no device but those it tries.)

  /** Starts a container with `rules` straight through the launcher, out of one hierarchy, and returns what it could open. */
  async function probeWith(rules: DeviceRule[], outOf: 'v1' | 'v2'): Promise<string> {
    const { id } = await t.client.call('container.create', { image, cmd: ['sh', '-c', probe] });
    const bundle = path.join(t.root, 'containers', id);
    const spec = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    // The container's own /dev nodes kept makeable where the rules let later ones say so, so most launches reach the probe.
    const own = [[1, 3], [1, 5], [1, 7], [1, 8], [1, 9], [5, 0]].map(([major, minor]) => ({ allow: true, type: 'c', major, minor, access: 'm' }));
    spec.linux.resources = { devices: [...rules, ...own] };
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
    const runDir = path.join(t.root, 'run', id);
    fs.mkdirSync(runDir, { recursive: true });
    const cgroups = createCgroups(id);
    saveCgroups(path.join(bundle, 'cgroups.json'), cgroups); // so that remove finds and removes them
    try {
      let ready;
      try {
        ({ ready } = await shimStart({ bundle, runDir, cgroups: cgroups.dirs, logFile: path.join(bundle, 'log.json'), attach: false }));
      } catch (err) {
        // Rules may forbid even the container's own /dev nodes (a deny of c *:* m that later allows cannot undo).
        return `not started: ${(err as Error).message}`;
      }
      const leave = cgroups.dirs.find((d) => fs.existsSync(path.join(d, outOf === 'v1' ? 'devices.allow' : 'cgroup.controllers')))!;
      fs.writeFileSync(path.join(path.dirname(leave), 'cgroup.procs'), String(ready.pid));
      const signal = () => {
        try {
          process.kill(ready.pid, 'SIGUSR1');
        } catch {
          // it has just exited
        }
      };
      await nudgeUntilDone(signal, async () => readExitFile(runDir) !== undefined);
      const log = fs.readFileSync(path.join(bundle, 'log.json'), 'utf8');
      return log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).log)
        .join('');
    } finally {
      // Remove adopts a launch it did not record, stops it and removes its cgroups.
      await t.client.call('container.remove', { id, force: true });
    }
  }

  const device = fc.oneof(
    fc.constantFrom<Partial<DeviceRule>>(
      { type: 'c', major: 1, minor: 3 },
      { type: 'c', major: 1, minor: 5 },
      { type: 'c', major: 1, minor: 9 },
      { type: 'c', major: 4, minor: 0 },
      { type: 'c', major: 1 },
      { type: 'c', major: 4 },
      { type: 'c' },
      { type: 'b', major: 7, minor: 0 },
      { type: 'b', major: 7 },
      { type: 'b' },
    ),
    fc.constant<Partial<DeviceRule>>({ type: 'a' }),
  );
  const rule = fc
    .tuple(device, fc.boolean(), fc.subarray(['r', 'w', 'm'], { minLength: 1 }))
    .map(([d, allow, access]): DeviceRule => ({ ...d, allow, access: access.join('') }));

  it('are refused alike by the BPF program and by the v1 controller', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(fc.boolean(), fc.array(rule, { maxLength: 6 })), async ([denyFirst, rules]) => {
        const list: DeviceRule[] = [...(denyFirst ? [{ allow: false, access: 'rwm' }] : []), ...rules];
        const byV2 = await probeWith(list, 'v1');
        const byV1 = await probeWith(list, 'v2');
        expect(byV2).toBe(byV1);
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});

describe('--device and --privileged', () => {
  it('--device adds a host device with its permissions, under its own name or another', async () => {
    const script = `ls -l /dev/loop0 /dev/sub/xl | cut -c1-10; ${openEach('/dev/loop0 /dev/sub/xl')}; if err=$( (exec 3>/dev/sub/xl) 2>&1 ); then echo "write ok"; else echo "write \${err##*: }"; fi`;
    const out = await run(script, { devices: ['/dev/loop0', '/dev/loop1:/dev/sub/xl:r'] });
    // The host's own modes (0600 root): as root in the container.
    expect(out).toBe('brw-------\nbrw-------\n/dev/loop0 ok\n/dev/sub/xl ok\nwrite Operation not permitted\n');
    const { id } = await t.client.call('container.create', { image, cmd: ['true'], devices: ['/dev/loop1:/dev/sub/xl:r'] });
    expect((await t.client.call('container.inspect', { id })).HostConfig).toMatchObject({
      Privileged: false,
      Devices: [{ PathOnHost: '/dev/loop1', PathInContainer: '/dev/sub/xl', CgroupPermissions: 'r' }],
    });
  });

  it('--privileged gets every capability the engine has, the host devices, /sys read-write and nothing masked', async () => {
    const script = `grep -E "^Cap(Eff|Bnd)" /proc/self/status; grep -c " /sys rw," /proc/self/mountinfo; grep -c /proc/keys /proc/self/mountinfo; ${openEach('/dev/loop0 /dev/tty0 /nodes/loop0')}`;
    const out = await run(script, { privileged: true });
    const bounding = /^CapBnd:\s*(\w+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1];
    expect(out).toBe(`CapEff:\t${bounding}\nCapBnd:\t${bounding}\n1\n0\n/dev/loop0 ok\n/dev/tty0 ok\n/nodes/loop0 ok\n`);
    // The usual container, for comparison.
    expect(await run('grep -c " /sys ro," /proc/self/mountinfo; grep -c /proc/keys /proc/self/mountinfo')).toBe('1\n1\n');
  });

  it('reports a host device it cannot use at start, in Docker words, and leaves the container created', async () => {
    const { id } = await t.client.call('container.create', { image, cmd: ['true'], devices: ['/dev/no-such-device'] });
    await expect(t.client.call('container.start', { id })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'error gathering device information while adding custom device "/dev/no-such-device": no such file or directory',
    });
    expect((await t.client.call('container.inspect', { id })).State.Status).toBe('created');
    const notDevice = await t.client.call('container.create', { image, cmd: ['true'], devices: ['/etc/hostname'] });
    await expect(t.client.call('container.start', { id: notDevice.id })).rejects.toThrow(
      'error gathering device information while adding custom device "/etc/hostname": not a device node',
    );
  });
});

describe('parseDeviceMapping', () => {
  it('reads --device as the docker CLI does, with its messages', () => {
    expect(parseDeviceMapping('/dev/sda')).toEqual({ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' });
    expect(parseDeviceMapping('/dev/sda:r')).toEqual({ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'r' });
    expect(parseDeviceMapping('/dev/sda:/dev/xvda')).toEqual({ PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'rwm' });
    expect(parseDeviceMapping('/dev/sda:/dev/xvda:mw')).toEqual({ PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'mw' });
    const refused: Array<[string, string]> = [
      ['/dev/loop0:rel', 'rel is not an absolute path'],
      ['relative', 'relative is not an absolute path'],
      ['/dev/loop0:/x:rwz', 'bad mode specified: rwz'],
      ['/dev/loop0:/x:r:q', 'bad format for path: /dev/loop0:/x:r:q'],
      [':/x', 'bad format for path: :/x'],
      ['/dev/loop0:/x:rr', 'bad mode specified: rr'],
    ];
    for (const [spec, message] of refused) {
      expect(() => parseDeviceMapping(spec)).toThrow(message);
      expect((() => {
        try {
          parseDeviceMapping(spec);
        } catch (err) {
          return (err as EngineError).code;
        }
      })()).toBe('InvalidArgument');
    }
  });

  /** The docker CLI's two steps (opts.ValidateDevice, then parseDevice), transcribed as they are. */
  function dockerReference(val: string): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } | string {
    const valid = (mode: string) => mode !== '' && [...mode].every((c, i) => 'rwm'.includes(c) && mode.indexOf(c) === i);
    if ((val.match(/:/g) ?? []).length > 2) return `bad format for path: ${val}`;
    const split = val.split(':');
    if (split[0] === '') return `bad format for path: ${val}`;
    let containerPath = split[0];
    if (split.length === 2) containerPath = valid(split[1]) ? split[0] : split[1];
    if (split.length === 3) {
      containerPath = split[1];
      if (!valid(split[2])) return `bad mode specified: ${split[2]}`;
    }
    if (!containerPath.startsWith('/')) return `${containerPath} is not an absolute path`;
    let dst = '';
    let permissions = 'rwm';
    if (split.length === 3) permissions = split[2];
    if (split.length >= 2) {
      if (valid(split[1])) permissions = split[1];
      else dst = split[1];
    }
    return { PathOnHost: split[0], PathInContainer: path.posix.normalize(dst || split[0]), CgroupPermissions: permissions };
  }

  it('agrees with the docker CLI on any input made of paths, modes and colons', () => {
    const token = fc.constantFrom('/dev/sda', '/dev/x/', 'rel', 'r', 'rw', 'mrw', 'rr', 'x', '', '/a/../b');
    const spec = fc.array(token, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(':'));
    fc.assert(
      fc.property(spec, (s) => {
        const expected = dockerReference(s);
        let actual: ReturnType<typeof dockerReference>;
        try {
          actual = parseDeviceMapping(s);
        } catch (err) {
          actual = (err as Error).message;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a mode as r, w and m each at most once', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('r', 'w', 'm', 'x'), maxLength: 5 }), (mode) => {
        expect(isDeviceMode(mode)).toBe(mode !== '' && new Set(mode).size === mode.length && !mode.includes('x'));
      }),
    );
  });
});
