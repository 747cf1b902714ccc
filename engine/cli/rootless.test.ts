// Rootless mode end to end: bin/strata run by an unprivileged user (made for
// the test, with a subordinate range, a delegated cgroup v2 subtree and the tun
// mode a desktop gives), and by a second user, against the engine's own
// claims: the store is the user's, owners are kept through unpack, commit and
// save, pause works only with delegation, ports reach the host's loopback.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUser, usersBase } from '../testing/desktopUser';

const strataBin = path.resolve(__dirname, '../../bin/strata');
const nodeModules = path.resolve(__dirname, '../../node_modules');

/** Opens the app at `url` in Chromium with its sandbox on (no --no-sandbox) and prints what the sidebar says of the mode. */
const sidebarProbe = `
const { chromium } = require('playwright');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await browser.newPage();
  await page.goto(process.argv[2]);
  const mode = await page.getByTestId('engine-mode').textContent({ timeout: 30000 });
  const sandboxed = await page.evaluate(() => typeof process === 'undefined');
  console.log(JSON.stringify({ mode, sandboxed, pid: browser.process ? undefined : null }));
  await browser.close();
})().catch((e) => { console.error(e.message); process.exit(1); });
`;
const suffix = String(process.pid % 100000);
let base: string;
let alice: TestUser;
let bob: TestUser;

function ok(user: TestUser, args: string[], options: { inCgroup?: boolean } = {}): string {
  const r = user.strata(args, options);
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.code, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

beforeAll(() => {
  base = usersBase();
  alice = TestUser.create(`stra${suffix}`, base, { delegate: true, tun: true });
  bob = TestUser.create(`strb${suffix}`, base, { subordinate: false });
  ok(alice, ['bootstrap']);
}, 120_000);

afterAll(() => {
  try {
    alice?.remove();
  } finally {
    bob?.remove();
  }
  if (base) fs.rmSync(base, { recursive: true, force: true });
}, 120_000);

describe('rootless mode', () => {
  it('keeps the store in the user\'s XDG data dir, and says so', () => {
    const r = alice.strata(['info'], { inCgroup: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Mode: rootless\n');
    expect(r.stdout).toContain(`Strata Root Dir: ${alice.home}/.local/share/strata\n`);
    expect(r.stdout).toContain(`Strata Run Dir: /tmp/strata-${alice.uid}\n`);
    // Outside its delegated cgroup the engine has no cgroups, and says what that costs.
    expect(r.stdout).toContain('Cgroup Freezer: none\n');
    expect(r.stderr).toMatch(/^WARNING: no cgroup v2 subtree is delegated to your user, so pause and resource limits are refused; enable cgroup v2 delegation/m);
    expect(ok(alice, ['info'])).toContain('Cgroup Freezer: v2\n');
    const db = fs.statSync(path.join(alice.home, '.local/share/strata/strata.db'));
    expect(db.uid).toBe(alice.uid);
    // The namespace maps 0 to the user and 1... to the user's subordinate range.
    const map = ok(alice, ['run', '--rm', '--network', 'none', 'starter', 'cat', '/proc/self/uid_map']).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    expect(map).toEqual([
      [0, alice.uid, 1],
      [1, alice.subordinateBase(), 65536],
    ]);
  });

  it('writes happiness.txt into the container\'s writable layer in the user\'s store, owned by the user', () => {
    expect(ok(alice, ['run', '--network', 'none', 'starter', 'sh', '-c', 'echo happy > /happiness.txt'])).toBe('');
    const full = ok(alice, ['ps', '-alq', '--no-trunc']).trim();
    expect(full).toMatch(/^[0-9a-f]{64}$/);
    const upper = path.join(alice.home, '.local/share/strata/containers', full, 'upper/happiness.txt');
    expect(fs.readFileSync(upper, 'utf8')).toBe('happy\n');
    expect(fs.statSync(upper).uid).toBe(alice.uid);
    ok(alice, ['rm', full]);
  });

  it('keeps an image\'s uid 1000 as uid 1000 in the container, in commit, and in save (byte for byte as root mode saves it)', () => {
    ok(alice, ['run', '--name', 'maker', '--network', 'none', 'starter', 'sh', '-c', 'mkdir -p /home/u && echo mine > /home/u/f && chown -R 1000:1000 /home/u']);
    ok(alice, ['commit', '--change', 'USER 1000', 'maker', 'owned:1']);
    ok(alice, ['rm', 'maker']);
    expect(ok(alice, ['run', '--rm', '--network', 'none', 'owned:1', 'sh', '-c', 'id -u; stat -c "%u %g" /home/u/f; touch /home/u/new && echo wrote'])).toBe('1000\n1000 1000\nwrote\n');
    // On the host the file belongs to the user's subordinate id for 1000.
    const layers = path.join(alice.home, '.local/share/strata/layers');
    const owners = fs.readdirSync(layers).filter((d) => fs.existsSync(path.join(layers, d, 'diff/home/u/f'))).map((d) => fs.statSync(path.join(layers, d, 'diff/home/u/f')).uid);
    expect(owners).toEqual([alice.subordinateBase() + 999]);

    const saved = path.join(alice.home, 'owned.tar');
    ok(alice, ['save', '-o', saved, 'owned:1']);
    const rootStore = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-rootmode-'));
    try {
      const env = { ...process.env, STRATA_ROOT: rootStore };
      delete env.STRATA_RUNROOT;
      expect(spawnSync(strataBin, ['load', '-i', saved], { env, encoding: 'utf8' }).stdout).toBe('Loaded image: owned:1\n');
      expect(spawnSync(strataBin, ['save', '-o', path.join(rootStore, 'again.tar'), 'owned:1'], { env }).status).toBe(0);
      expect(fs.readFileSync(path.join(rootStore, 'again.tar')).equals(fs.readFileSync(saved))).toBe(true);
      // umoci reads the save as an OCI layout and finds the owners.
      const layout = path.join(rootStore, 'layout');
      fs.mkdirSync(layout);
      expect(spawnSync('tar', ['-C', layout, '-xf', saved]).status).toBe(0);
      const unpack = spawnSync('umoci', ['unpack', '--image', `${layout}:1`, path.join(rootStore, 'bundle')], { encoding: 'utf8' });
      expect(unpack.status, unpack.stderr).toBe(0);
      const f = fs.statSync(path.join(rootStore, 'bundle/rootfs/home/u/f'));
      expect([f.uid, f.gid]).toEqual([1000, 1000]);
    } finally {
      fs.rmSync(rootStore, { recursive: true, force: true });
    }
  });

  it('pauses through cgroup.freeze in a delegated subtree, and refuses in one line without one', () => {
    ok(alice, ['run', '-d', '--name', 'sleeper', '--network', 'none', 'starter', 'sleep', '300']);
    ok(alice, ['pause', 'sleeper']);
    expect(ok(alice, ['ps', '--format', '{{.Status}}'])).toMatch(/\(Paused\)\n$/);
    const id = ok(alice, ['ps', '-q', '--no-trunc']).trim();
    expect(fs.readFileSync(path.join(alice.delegated!, 'strata', id, 'cgroup.freeze'), 'utf8').trim()).toBe('1');
    ok(alice, ['unpause', 'sleeper']);
    ok(alice, ['rm', '-f', 'sleeper']);

    ok(alice, ['run', '-d', '--name', 'free', '--network', 'none', 'starter', 'sleep', '300'], { inCgroup: false });
    const refused = alice.strata(['pause', 'free'], { inCgroup: false });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: cannot pause: this rootless engine has no cgroup freezer, as no cgroup v2 subtree is delegated to your user; enable cgroup v2 delegation .*\n$/);
    expect(ok(alice, ['ps', '--format', '{{.Status}}'], { inCgroup: false })).not.toContain('Paused');
    const limited = alice.strata(['run', '--rm', '--network', 'none', '--memory', '64m', 'starter', 'true'], { inCgroup: false });
    expect(limited.code).toBe(125);
    expect(limited.stderr).toMatch(/^Error.*--memory cannot be set: a rootless engine limits only through cgroup v2 controllers delegated to your user/);
    ok(alice, ['rm', '-f', 'free'], { inCgroup: false });
  });

  it('restarts by policy and checks health inside the user\'s namespace, without delegated cgroups too', async () => {
    // The default network (pasta) comes back with each restart, as the monitor brings it up again.
    const runs = alice.strata(['run', '--name', 'again', '--restart', 'on-failure:2', 'starter', 'sh', '-c', 'ip -4 addr show eth0 | grep -c inet; exit 3'], { inCgroup: false });
    expect(runs).toMatchObject({ code: 3, stdout: '1\n' });
    ok(alice, ['run', '-d', '--name', 'checked', '--network', 'none', '--health-cmd', 'test -f /ok', '--health-interval', '1s', '--health-retries', '1', 'starter', 'sh', '-c', 'touch /ok; exec sleep 300'], { inCgroup: false });
    const states = () =>
      (JSON.parse(ok(alice, ['inspect', 'again', 'checked'], { inCgroup: false })) as { State: { Status: string; Health?: { Status: string } }; RestartCount: number }[]).map(
        (c) => `${c.State.Status} ${c.RestartCount} ${c.State.Health?.Status ?? ''}`,
      );
    const wanted = ['exited 2 ', 'running 0 healthy'];
    let seen: string[] = [];
    for (let i = 0; i < 100 && seen.join() !== wanted.join(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = states();
    }
    expect(seen).toEqual(wanted);
    expect(ok(alice, ['logs', 'again'], { inCgroup: false })).toBe('1\n1\n1\n');
    ok(alice, ['rm', '-f', 'again', 'checked'], { inCgroup: false });
  });

  it('publishes a port on the host\'s loopback through pasta', async () => {
    const port = 20000 + (process.pid % 20000);
    ok(alice, ['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, 'starter', 'sh', '-c', 'echo served-rootless > /index.html; exec httpd -f -p 80 -h /']);
    let body = '';
    for (let i = 0; i < 50 && body === ''; i++) {
      body = await fetchText(`http://127.0.0.1:${port}/index.html`).catch(() => '');
      if (body === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toBe('served-rootless\n');
    ok(alice, ['rm', '-f', 'web']);
  });

  it('maps only the user\'s own id when they have no subordinate range, and says what fails', () => {
    const info = bob.strata(['info']);
    expect(info.stderr).toMatch(/^WARNING: no subordinate ids for this user in \/etc\/subuid and \/etc\/subgid: only your own id is mapped, so images with files owned by other users and USER other than root fail/m);
    ok(bob, ['bootstrap']);
    expect(ok(bob, ['run', '--rm', '--network', 'none', 'starter', 'cat', '/proc/self/uid_map']).trim().split(/\s+/).map(Number)).toEqual([0, bob.uid, 1]);
  });

  it('gives a second user a store of their own: they neither see nor touch the first user\'s containers', () => {
    ok(alice, ['run', '-d', '--name', 'private', '--network', 'none', 'starter', 'sleep', '300']);
    const id = ok(alice, ['ps', '-q', '--no-trunc']).trim();
    expect(ok(bob, ['ps', '-aq'])).toBe('');
    for (const command of ['stop', 'rm', 'inspect']) {
      const r = bob.strata([command, id]);
      expect(r.code, command).not.toBe(0);
      expect(r.stderr, command).toMatch(new RegExp(`No such (container|object): ${id}\\n$`));
    }
    const peek = bob.strata(['ps'], { env: { STRATA_ROOT: path.join(alice.home, '.local/share/strata') } });
    expect(peek.code).not.toBe(0);
    expect(peek.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(ok(alice, ['ps', '-q', '--no-trunc']).trim()).toBe(id);
    ok(alice, ['rm', '-f', 'private']);
  });

  it('serves the app as the user, whose Chromium keeps its sandbox, and its sidebar says rootless', async () => {
    const [cmd, ...args] = alice.argv([strataBin, 'gui', '--browser', '--no-open', '--port', '0'], true);
    const host = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        host.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /^Strata: (http:\/\/127\.0\.0\.1:\d+\/\S+)$/m.exec(out);
          if (m) resolve(m[1]);
        });
        host.on('exit', (code) => reject(new Error(`strata gui exited with ${code}`)));
      });
      const probe = path.join(base, 'probe.js');
      fs.writeFileSync(probe, sidebarProbe, { mode: 0o644 });
      const [pcmd, ...pargs] = alice.argv([process.execPath, probe, url], false, { NODE_PATH: nodeModules });
      const r = spawnSync(pcmd, pargs, { encoding: 'utf8', timeout: 90_000 });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'Rootless (your user namespace)', sandboxed: true });
      // Chromium ran as the user, without --no-sandbox.
      expect(sidebarProbe).not.toContain('no-sandbox');
    } finally {
      host.kill('SIGTERM');
      await new Promise((r) => host.once('exit', r));
    }
  }, 120_000);
});
