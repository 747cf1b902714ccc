// --filter on ps, images and prune, judged by a real dockerd 20.10: the same
// rootfs is imported into a private dockerd and into Strata, the same
// images and containers are made in both with the same commands, and each
// filter must list the same names, in the same order (or fail with the
// same message).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type PrivateDocker } from '../registry/testing/dockerd';

const strataBin = path.resolve(__dirname, '../../bin/strata');

let dir: string;
let docker: PrivateDocker;

interface Outcome {
  code: number;
  out: string;
  /** The error, without "Error response from daemon: " (docker) or "Error: " (strata). */
  err: string;
}

function strata(args: string[]): Outcome {
  const r = spawnSync(strataBin, args, { env: { ...process.env, STRATA_ROOT: path.join(dir, 'strata') }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr.replace(/^Error: /, '').trim() };
}

async function dockerRun(args: string[]): Promise<Outcome> {
  try {
    const { stdout } = await docker.docker(args);
    return { code: 0, out: stdout, err: '' };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: err.stdout ?? '', err: (err.stderr ?? '').replace(/^Error response from daemon: /, '').trim() };
  }
}

/** Runs the same command on both, expecting success; returns each one's output. */
async function both(...args: string[]): Promise<{ docker: string; strata: string }> {
  const d = await dockerRun(args);
  const s = strata(args);
  expect(d.err, `docker ${args.join(' ')}`).toBe('');
  expect(s.code, `strata ${args.join(' ')}: ${s.err}`).toBe(0);
  return { docker: d.out, strata: s.out };
}

/** `ARGS` on both: the same exit status, and the same output or error. */
async function same(args: string[], normalize: (text: string) => string = (t) => t): Promise<void> {
  const d = await dockerRun(args);
  const s = strata(args);
  expect({ code: s.code === 0 ? 0 : 'failed', out: normalize(s.out), err: s.err }, args.join(' ')).toEqual({
    code: d.code === 0 ? 0 : 'failed',
    out: normalize(d.out),
    err: d.err,
  });
}

const ids: Record<'docker' | 'strata', Record<string, string>> = { docker: {}, strata: {} };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-filters-'));
  expect(strata(['bootstrap']).code).toBe(0);
  // One root filesystem for both: the starter image's, exported.
  const rootfs = path.join(dir, 'rootfs.tar');
  expect(strata(['create', '--name', 'rootfs', 'starter', 'true']).code).toBe(0);
  expect(strata(['export', '-o', rootfs, 'rootfs']).code).toBe(0);
  expect(strata(['rm', 'rootfs']).code).toBe(0);
  expect(strata(['rmi', 'starter']).code).toBe(0);
  docker = await startDockerd(path.join(dir, 'dockerd'), []);

  await both('import', '--change', 'CMD ["sh"]', rootfs, 'base:1');
  await both('import', '--change', 'LABEL color=red', rootfs, 'red:1');
  await both('import', '--change', 'LABEL color=blue', '--change', 'LABEL size=big', rootfs, 'blue:1');
  await both('import', rootfs, 'gone:1');
  await both('import', rootfs, 'gone:1'); // the first gone:1 is now dangling
  fs.mkdirSync(path.join(dir, 'data'));
  const none = ['--network', 'none'];
  const record = async (name: string, args: string[]) => {
    const r = await both(...args);
    ids.docker[name] = (await dockerRun(['inspect', '-f', '{{.Id}}', name])).out.trim();
    ids.strata[name] = strata(['inspect', '-f', '{{.Id}}', name]).out.trim();
    return r;
  };
  await record('parent', ['run', ...none, '--name', 'parent', 'base:1', 'touch', '/made']);
  await both('commit', 'parent', 'child:1');
  await record('created1', ['create', ...none, '--name', 'created1', '-l', 'app=web', '-l', 'tier=front', 'base:1', 'true']);
  await record('ok0', ['run', ...none, '--name', 'ok0', '-l', 'app=web', 'base:1', 'true']);
  const bad = await dockerRun(['run', ...none, '--name', 'bad3', '-l', 'app=db', 'base:1', 'sh', '-c', 'exit 3']);
  expect(bad.code).toBe(3);
  expect(strata(['run', ...none, '--name', 'bad3', '-l', 'app=db', 'base:1', 'sh', '-c', 'exit 3']).code).toBe(3);
  await record('up1', ['run', '-d', ...none, '--name', 'up1', '-l', 'app=web', '-v', `${path.join(dir, 'data')}:/data`, 'base:1', 'sleep', '300']);
  await record('kid', ['run', ...none, '--name', 'kid', 'child:1', 'true']);
}, 240_000);

afterAll(async () => {
  strata(['rm', '-f', 'up1']);
  await dockerRun(['rm', '-f', 'up1']);
  await docker?.stop();
  const left = strata(['ps', '-aq']).out.split('\n').filter(Boolean);
  if (left.length > 0) strata(['rm', '-f', ...left]);
  fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

const names = ['--format', '{{.Names}}'];

describe('ps --filter, as dockerd reads it', () => {
  it.each([
    [['-a', '--filter', 'name=up']],
    [['-a', '--filter', 'name=^/ok']],
    [['-a', '--filter', 'name=o']],
    [['-a', '--filter', 'name=ok0', '--filter', 'name=bad3']],
    [['-a', '--filter', 'label=app']],
    [['-a', '--filter', 'label=app=web']],
    [['-a', '--filter', 'label=app=web', '--filter', 'label=tier']],
    [['-a', '--filter', 'label=nosuch']],
    [['--filter', 'status=exited']],
    [['--filter', 'status=created']],
    [['--filter', 'status=running']],
    [['--filter', 'status=exited', '--filter', 'status=created']],
    [['-a', '--filter', 'exited=0']],
    [['-a', '--filter', 'exited=3']],
    [['--filter', 'exited=0']],
    [['-a', '--filter', 'ancestor=base:1']],
    [['-a', '--filter', 'ancestor=child:1']],
    [['-a', '--filter', 'ancestor=nosuchimage']],
    [['-a', '--filter', 'before=bad3']],
    [['-a', '--filter', 'since=ok0']],
    [['--filter', 'since=ok0']],
    [['-a', '--filter', 'volume=/data']],
    [['-a', '--filter', 'network=none']],
    [['-a', '--filter', 'health=none']],
    [['-a', '--filter', 'is-task=false']],
    [['-a', '--filter', 'isolation=default']],
    [['-a', '--filter', 'status=exited', '--filter', 'label=app=web']],
    [['-n', '2', '--filter', 'label=app']],
    [['-a', '--filter', 'label=app', '--filter', 'exited=3']],
  ])('ps %j', async (args) => {
    await same(['ps', ...args, ...names]);
  });

  it('takes an id prefix as dockerd does', async () => {
    const d = await dockerRun(['ps', '-a', '--filter', `id=${ids.docker.ok0.slice(0, 10)}`, ...names]);
    const s = strata(['ps', '-a', '--filter', `id=${ids.strata.ok0.slice(0, 10)}`, ...names]);
    expect(d.out).toBe('ok0\n');
    expect(s.out).toBe(d.out);
  });

  it.each([
    [['--filter', 'foo=bar']],
    [['--filter', 'status=bogus']],
    [['--filter', 'health=bogus']],
    [['--filter', 'is-task=maybe']],
    [['--filter', 'before=nosuchcontainer']],
    [['--filter', 'publish=80:80']],
  ])('refuses %j with dockerd\'s words', async (args) => {
    await same(['ps', ...args]);
  });
});

describe('images --filter, as dockerd reads it', () => {
  const tags = ['--format', '{{.Repository}}:{{.Tag}}'];
  it.each([
    [[]],
    [['-a']],
    [['--filter', 'dangling=true']],
    [['--filter', 'dangling=false']],
    [['--filter', 'label=color']],
    [['--filter', 'label=color=red']],
    [['--filter', 'label=color', '--filter', 'label=size=big']],
    [['--filter', 'before=blue:1']],
    [['--filter', 'since=red:1']],
    [['--filter', 'reference=b*']],
    [['--filter', 'reference=*:1']],
    [['--filter', 'reference=base', '--filter', 'reference=red']],
    [['base']],
    [['gone:1']],
  ])('images %j', async (args) => {
    // Images made in the same second list in either order: compare them sorted.
    await same(['images', ...args, ...tags], (t) => t.split('\n').sort().join('\n'));
  });

  it.each([[['--filter', 'dangling=maybe']], [['--filter', 'color=red']], [['--filter', 'before=nosuchimage']]])('refuses %j', async (args) => {
    await same(['images', ...args]);
  });
});

describe('prune --filter, as dockerd reads it', () => {
  it('removes only the stopped containers the filters name', async () => {
    const lines = (text: string, who: 'docker' | 'strata') =>
      text
        .split('\n')
        .filter((l) => /^[0-9a-f]{64}$/.test(l))
        .map((id) => Object.entries(ids[who]).find(([, v]) => v === id)?.[0] ?? id)
        .sort();
    await same(['container', 'prune', '--filter', 'foo=bar', '-f']);
    await same(['container', 'prune', '--filter', 'until=1h', '-f'], (t) => t.replace(/[0-9a-f]{64}\n/g, ''));
    const d = await dockerRun(['container', 'prune', '-f', '--filter', 'label=app=web']);
    const s = strata(['container', 'prune', '-f', '--filter', 'label=app=web']);
    expect(lines(s.out, 'strata')).toEqual(lines(d.out, 'docker'));
    expect(lines(s.out, 'strata')).toEqual(['created1', 'ok0']);
    await same(['ps', '-a', ...names]);
  });

  it('prunes dangling images, then by label with -a', async () => {
    await same(['image', 'prune', '-f', '--filter', 'label=color=blue'], (t) => t.replace(/sha256:[0-9a-f]{64}/g, 'ID').replace(/Total reclaimed space: .*/, ''));
    await same(['images', '--format', '{{.Repository}}:{{.Tag}}'], (t) => t.split('\n').sort().join('\n'));
    await same(['image', 'prune', '-a', '-f', '--filter', 'label=color=blue'], (t) => t.replace(/sha256:[0-9a-f]{64}/g, 'ID').replace(/Total reclaimed space: .*/, ''));
    await same(['images', '--format', '{{.Repository}}:{{.Tag}}'], (t) => t.split('\n').sort().join('\n'));
  });
});

// The docker client (any version) talks to the dockerd 20.10 judged here.
it('judges against dockerd 20.10', async () => {
  expect((await dockerRun(['version', '--format', '{{.Server.Version}}'])).out).toMatch(/^20\.10\./);
  expect(execFileSync('dockerd', ['--version'], { encoding: 'utf8' })).toContain('20.10');
});
