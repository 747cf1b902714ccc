// The image commands end to end, as a user types them: bin/strata (compiled
// by `npm test`'s build) against a fresh engine root with the starter image.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');
let root: string;

function strata(args: string[], input: string | Buffer = ''): { code: number | null; stdout: string; stderr: string; raw: Buffer } {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: root };
  delete env.STRATA_RUNROOT;
  const r = spawnSync(strataBin, args, { env, input, timeout: 30_000, maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString(), raw: r.stdout };
}

function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.code, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-img-'));
  ok('bootstrap');
});
afterEach(() => {
  const ids = strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', ...ids]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('commit, history, tag, rmi, images -a', () => {
  it('works as docker prints it', () => {
    ok('run', '--name', 'c1', 'starter', 'sh', '-c', 'echo hi > /hi');
    const id = ok('commit', '-m', 'my msg', '-a', 'Ann', '-c', 'ENV A=1', 'c1', 'mine:1').trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const history = ok('history', 'mine:1').split('\n');
    expect(history[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    expect(history[1]).toMatch(new RegExp(`^${id.slice(7, 19)}\\s+\\S.* ago\\s+sh -c echo hi > /hi\\s+3B\\s+my msg$`));
    const json = ok('history', '--format', 'json', '--no-trunc', 'mine:1').trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(json[0])).toEqual(['Comment', 'CreatedAt', 'CreatedBy', 'CreatedSince', 'ID', 'Size']);
    expect(json[0]).toMatchObject({ ID: id, CreatedBy: 'sh -c echo hi > /hi', Size: '3B', Comment: 'my msg' });
    expect(ok('history', '-q', 'mine:1')).toBe(`${id.slice(7, 19)}\n${ok('images', '-q', 'starter').trim()}\n`);

    expect(ok('tag', 'mine:1', 'mine:2')).toBe('');
    expect(ok('rmi', 'mine:1')).toBe('Untagged: mine:1\n');
    const r = strata(['rmi', 'nope:1', 'mine:2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^Untagged: mine:2\nDeleted: ${id}\nDeleted: sha256:[0-9a-f]{64}\n$`));
    expect(r.stderr).toBe('Error: No such image: nope:1\n');
  });

  it('images -a shows intermediate images; image prune asks, then removes dangling ones', () => {
    ok('run', '--name', 'c1', 'starter', 'sh', '-c', 'echo 1 > /one');
    const parent = ok('commit', 'c1').trim();
    ok('run', '--name', 'c2', parent, 'sh', '-c', 'echo 2 > /two');
    ok('commit', 'c2', 'top:1');
    ok('rm', 'c1', 'c2');
    expect(ok('images').split('\n').filter(Boolean)).toHaveLength(3);
    const all = ok('images', '-a').split('\n');
    expect(all.some((l) => new RegExp(`^<none>\\s+<none>\\s+${parent.slice(7, 19)}`).test(l))).toBe(true);
    ok('run', '--name', 'c3', 'starter', 'sh', '-c', 'echo 3 > /three');
    const dangling = ok('commit', 'c3').trim();
    ok('rm', 'c3');
    const declined = strata(['image', 'prune'], 'n\n');
    expect(declined.stdout).toBe('WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ');
    expect(ok('images', '-q', '--no-trunc')).toContain(dangling);
    const pruned = strata(['image', 'prune'], 'y\n').stdout;
    expect(pruned).toMatch(new RegExp(`Deleted Images:\ndeleted: ${dangling}\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: 2B\n$`));
    expect(ok('image', 'prune', '-f')).toBe('Total reclaimed space: 0B\n');
    expect(ok('system', 'df').split('\n')[0]).toMatch(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    const df = ok('system', 'df', '--format', 'json').trim().split('\n').map((l) => JSON.parse(l));
    expect(df.map((r) => r.Type)).toEqual(['Images', 'Containers', 'Local Volumes', 'Build Cache']);
    expect(df[0].TotalCount).toBe('2');
  });
});

describe('save, load, export', () => {
  it('save to a pipe and -o, load from stdin and -i, export', () => {
    ok('run', '--name', 'c1', 'starter', 'sh', '-c', 'echo saved > /saved');
    const id = ok('commit', 'c1', 'keep:1').trim();
    const piped = strata(['save', 'keep:1']);
    expect(piped.code).toBe(0);
    const file = path.join(root, 'keep.tar');
    ok('save', '-o', file, 'keep:1');
    expect(fs.readFileSync(file).equals(piped.raw)).toBe(true);
    ok('rmi', 'keep:1');
    expect(strata(['load'], piped.raw).stdout).toBe('Loaded image: keep:1\n');
    expect(ok('load', '-i', file)).toBe('Loaded image: keep:1\n');
    ok('tag', 'keep:1', 'other:1');
    expect(ok('image', 'save', id.slice(7, 19)).length).toBeGreaterThan(0);
    ok('rmi', 'other:1');
    expect(strata(['load', '-i', path.join(root, 'missing.tar')]).stderr).toMatch(/^Error: open .*missing.tar: no such file or directory\n$/);
    const bad = strata(['load'], 'not a tar'.repeat(100));
    expect([bad.code, bad.stderr]).toEqual([1, 'Error: invalid tar: not a tar archive\n']);

    const exported = strata(['export', 'c1']);
    expect(exported.code).toBe(0);
    const tarList = spawnSync('tar', ['-t'], { input: exported.raw }).stdout.toString().split('\n');
    expect(tarList).toContain('saved');
    expect(tarList).not.toContain('manifest.json');
    ok('export', '-o', path.join(root, 'c1.tar'), 'c1');
    expect(fs.readFileSync(path.join(root, 'c1.tar')).equals(exported.raw)).toBe(true);
  });
});
