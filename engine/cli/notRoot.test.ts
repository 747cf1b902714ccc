// A user who is not root gets one line saying the engine needs root (and how
// to run it), from every command and from the app, never a raw EACCES stack.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');
const nobody = 65534;

function asNobody(args: string[]) {
  const r = spawnSync(process.execPath, [strataBin, ...args], {
    uid: nobody,
    gid: nobody,
    env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const needsRoot =
  'Error: the Strata engine needs root today (it mounts overlays and creates namespaces and cgroups): run it with sudo, e.g. `sudo strata ps` or `sudo npm start`\n';

describe('strata as a user who is not root', () => {
  it.each([['ps'], ['images'], ['run', '--rm', 'starter', 'true'], ['bootstrap'], ['load', '-i', '/dev/null'], ['gui', '--browser', '--no-open']])(
    'strata %s says in one line that the engine needs root, and exits 1',
    (...args) => {
      const r = asNobody(args);
      expect(r.stderr).toBe(needsRoot);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1);
    },
  );

  it('still shows help and the version, which need no engine', () => {
    expect(asNobody(['--help'])).toMatchObject({ code: 0, stderr: '' });
    expect(asNobody(['ps', '--help'])).toMatchObject({ code: 0, stderr: '' });
    expect(asNobody(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Strata version /) });
  });
});
