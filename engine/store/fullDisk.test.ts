// A full disk during load and commit: the engine root on a small tmpfs, an
// archive and a container's changes bigger than the room left. Each fails
// with one clear line, and leaves nothing half-written: no layer, blob or
// temporary file, the space back as it was, and `system check` clean.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'strata');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-full-'));
const small = path.join(work, 'small');
const big = path.join(work, 'big');
const archive = path.join(work, 'big.tar');

function strata(root: string, ...args: string[]) {
  const env = { ...process.env, STRATA_ROOT: root };
  delete env.STRATA_RUNROOT;
  return spawnSync(cli, args, { env, encoding: 'utf8', timeout: 120_000 });
}

function ok(root: string, ...args: string[]): string {
  const r = strata(root, ...args);
  if (r.status !== 0) throw new Error(`strata ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Bytes used on the small filesystem. */
function used(): number {
  const s = fs.statfsSync(small);
  return (s.blocks - s.bfree) * s.bsize;
}

/** Every file under the root, but the database's own (its WAL grows and shrinks as it likes). */
function files(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => !f.startsWith('strata.db')).sort();
}

beforeAll(() => {
  fs.mkdirSync(small);
  expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', small]).status).toBe(0);
  ok(small, 'bootstrap');
  // A 30 MB layer, made in a root with room to spare.
  ok(big, 'bootstrap');
  ok(big, 'run', '--name', 'maker', 'starter', 'sh', '-c', 'head -c 30000000 /dev/urandom > /big');
  ok(big, 'commit', 'maker', 'big:1');
  ok(big, 'save', '-o', archive, 'big:1');
}, 120_000);

afterAll(() => {
  for (const root of [small, big]) {
    const ids = strata(root, 'ps', '-aq', '--no-trunc').stdout.split('\n').filter(Boolean);
    if (ids.length > 0) strata(root, 'rm', '-f', ...ids);
  }
  spawnSync('umount', ['-l', small]);
  fs.rmSync(work, { recursive: true, force: true });
});

function expectNothingKept(before: { used: number; files: string[] }): void {
  expect(files(small)).toEqual(before.files);
  // Within a few pages: SQLite's own files may move by that much.
  expect(Math.abs(used() - before.used)).toBeLessThan(256 << 10);
  const check = strata(small, 'system', 'check', '--verify-content');
  expect(check.stdout).toBe('No problems found.\n');
  expect(check.status).toBe(0);
}

it('load: a layer bigger than the room left fails in one line and keeps nothing', () => {
  const before = { used: used(), files: files(small) };
  const r = strata(small, 'load', '-i', archive);
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/no space left on device|disk is full/);
  expectNothingKept(before);
  expect(strata(small, 'image', 'inspect', 'big:1').status).not.toBe(0);
});

it('commit: changes bigger than the room left fail in one line, keep nothing, and the container keeps its changes', () => {
  ok(small, 'run', '--name', 'changer', 'starter', 'sh', '-c', 'head -c 14000000 /dev/urandom > /changes');
  const before = { used: used(), files: files(small) };
  const r = strata(small, 'commit', 'changer', 'changed:1');
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/no space left on device|disk is full/);
  expectNothingKept(before);
  expect(ok(small, 'diff', 'changer')).toBe('A /changes\n');
  // With the room back, the same commit works.
  ok(small, 'rm', '-f', 'changer');
  ok(small, 'run', '--name', 'smaller', 'starter', 'sh', '-c', 'head -c 1000000 /dev/urandom > /changes');
  expect(ok(small, 'commit', 'smaller', 'changed:1')).toMatch(/^sha256:/);
});
