// The monitor outlives whatever started the container: a CLI killed with
// SIGKILL mid-run leaves the container running under its monitor, and the
// next engine to open the store finds the truth in the monitor's files.
// (Runs the compiled CLI: `npm test` builds first.)

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'strata');
let root: string;
let env: NodeJS.ProcessEnv;
const strata = (...args: string[]) => spawnSync(cli, args, { env, encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-monitor-'));
  env = { ...process.env, STRATA_ROOT: root };
  expect(strata('bootstrap').status).toBe(0);
});

afterAll(() => {
  strata('rm', '-f', 'survivor');
  fs.rmSync(root, { recursive: true, force: true });
});

it('survives its parent being killed with SIGKILL, and the engine finds the exit later', async () => {
  const run = spawn(cli, ['run', '--name', 'survivor', 'starter', 'sh', '-c', 'echo begin; sleep 1; echo end; exit 7'], { env, stdio: 'pipe' });
  let out = '';
  run.stdout.on('data', (d) => (out += d));
  for (let i = 0; i < 100 && !out.includes('begin'); i++) await sleep(20);
  expect(out).toBe('begin\n');
  run.kill('SIGKILL');
  await new Promise((r) => run.on('exit', r));

  const monitorPid = Number(fs.readFileSync(path.join(root, 'run', idOf('survivor'), 'monitor.pid'), 'utf8'));
  expect(alive(monitorPid)).toBe(true);
  expect(JSON.parse(strata('inspect', 'survivor').stdout)[0].State.Status).toBe('running');

  await sleep(1500);
  const state = JSON.parse(strata('inspect', 'survivor').stdout)[0].State;
  expect(state).toMatchObject({ Status: 'exited', ExitCode: 7 });
  expect(strata('logs', 'survivor').stdout).toBe('begin\nend\n');
  for (let i = 0; i < 150 && alive(monitorPid); i++) await sleep(20);
  expect(alive(monitorPid)).toBe(false);
});

/** Running (a zombie waiting for a reaper has no command line any more). */
function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

function idOf(name: string): string {
  return JSON.parse(strata('inspect', name).stdout)[0].Id;
}
