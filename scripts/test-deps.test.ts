// scripts/test-deps: the one list of Debian packages the tests use. On a
// machine where `npm test` runs, nothing on it is missing; where something
// is and apt-get cannot be used, it stops with one line naming the packages
// and the command that installs them.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.join(__dirname, 'test-deps');

function testDeps(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number } = {}) {
  const r = spawnSync('bash', [script, ...args], {
    env: { ...process.env, ...opts.env },
    uid: opts.uid,
    gid: opts.uid,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A PATH whose dpkg-query knows no package, as on a machine that has none of them. */
function emptyMachinePath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-nodeps-'));
  fs.writeFileSync(path.join(dir, 'dpkg-query'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  return dir;
}

describe('scripts/test-deps', () => {
  it('finds every package the tests need on this machine (check-only lists nothing)', () => {
    expect(testDeps(['--check'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('lists what is missing in check-only mode', () => {
    const dir = emptyMachinePath();
    try {
      const r = testDeps(['--check'], { env: { PATH: `${dir}:${process.env.PATH}` } });
      expect(r.code).toBe(1);
      expect(r.stdout.trim().split(' ')).toEqual(expect.arrayContaining(['busybox-static', 'skopeo', 'umoci', 'chromium']));
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('stops with one line naming the packages and the command when it cannot install them (not root)', () => {
    const dir = emptyMachinePath();
    try {
      const r = testDeps([], { env: { PATH: `${dir}:${process.env.PATH}` }, uid: 65534 });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^test-deps: the tests need these Debian packages: busybox-static .* \(install them: sudo apt-get install -y busybox-static .*\)\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
