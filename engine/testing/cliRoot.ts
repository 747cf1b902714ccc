// bin/strata (compiled by `npm test`'s build) as a user runs it, against a
// fresh engine root with the starter image: for CLI tests.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRoot {
  root: string;
  strata(args: string[], input?: string): CliResult;
  /** Runs strata expecting success and no stderr; returns stdout. */
  ok(...args: string[]): string;
  /** Removes every container, then the root. */
  dispose(): void;
}

export function cliRoot(): CliRoot {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_ROOT: root };
  delete env.STRATA_RUNROOT;
  const strata = (args: string[], input = ''): CliResult => {
    const r = spawnSync(strataBin, args, { env, input, timeout: 60_000, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]) => {
    const r = strata(args);
    expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
    expect(r.code, `strata ${args.join(' ')}`).toBe(0);
    return r.stdout;
  };
  ok('bootstrap');
  return {
    root,
    strata,
    ok,
    dispose() {
      const ids = strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) strata(['rm', '-f', ...ids]);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
