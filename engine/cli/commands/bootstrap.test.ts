// `strata bootstrap` on a machine without busybox: one warning line saying
// what the starter image lacks and the command that fixes it, and an image
// that still runs what the README's examples run.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathWithoutBusybox } from '../../testing/noBusybox';

const strataBin = path.resolve(__dirname, '../../../bin/strata');
let root: string;
let noBusybox: string;

function strata(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [strataBin, ...args], {
    env: { ...process.env, STRATA_ROOT: root, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-bootstrap-'));
  noBusybox = pathWithoutBusybox();
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(noBusybox, { recursive: true, force: true });
});

describe('strata bootstrap without busybox', () => {
  it('warns in one line and makes a starter image that runs true, find and sh -c', () => {
    const made = strata(['bootstrap'], { PATH: noBusybox });
    expect(made.code).toBe(0);
    expect(made.stderr).toMatch(
      /^WARNING: busybox is not installed, so the starter image holds only \d+ of this machine's own programs instead of busybox's hundreds of tools; for the full image run: sudo apt-get install busybox-static && strata bootstrap\n$/,
    );
    expect(made.stdout).toMatch(/^starter:latest\nsha256:[0-9a-f]{64}\n$/);

    expect(strata(['run', '--rm', 'starter', 'true'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(strata(['run', '--rm', 'starter', 'find', '/etc', '-name', 'passwd'])).toMatchObject({ code: 0, stdout: '/etc/passwd\n' });
    expect(strata(['run', '--rm', 'starter', 'find', '/', '-name', 'x'])).toMatchObject({ code: 0, stderr: '' });
    expect(strata(['run', '--rm', 'starter', 'sh', '-c', 'touch /happiness.txt && ls /happiness.txt && id -u && echo $0'])).toMatchObject({
      code: 0,
      stdout: '/happiness.txt\n0\nsh\n',
    });
  });
});
