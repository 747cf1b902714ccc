// --runtime: the same bundle run by strata-shim, runc and crun (those this
// machine has), each container then used as any other: its output, exit
// status and terminal, its isolation, exec, pause, stop, logs, inspect, its
// restart policy and health check; and nothing left behind (the root's
// mount, the runtime's record).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../testing/waits';

const strataBin = path.resolve(__dirname, '../../bin/strata');
let root: string;

/** Without a network (--network none) unless a test says otherwise: the runtimes are looked at here, not netavark. */
function offline(args: string[]): string[] {
  if ((args[0] !== 'run' && args[0] !== 'create') || args.some((a) => a.startsWith('--network'))) return args;
  return [args[0], '--network', 'none', ...args.slice(1)];
}

function strata(args: string[]) {
  const r = spawnSync(strataBin, offline(args), { env: { ...process.env, STRATA_ROOT: root }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.code, `strata ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Runs `strata ARGS` on a terminal (python's pty), returning what it printed and its status. */
function onTerminal(args: string[]): { output: string; code: number } {
  const script = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], ['strata'] + sys.argv[2:])
out = b''
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
sys.exit(os.waitpid(pid, 0)[1] >> 8)
`;
  const r = spawnSync('python3', ['-c', script, strataBin, ...offline(args)], { env: { ...process.env, STRATA_ROOT: root }, encoding: 'utf8', timeout: 60_000 });
  return { output: r.stdout, code: r.status ?? -1 };
}

const installed = ['strata', ...['runc', 'crun'].filter((r) => spawnSync('which', [r]).status === 0)];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-runtimes-'));
  ok('bootstrap');
});

afterAll(() => {
  const ids = strata(['ps', '-aq']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', ...ids]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe.each(installed)('--runtime %s', (runtime) => {
  it('runs the container: its output, its status, Docker\'s isolation', () => {
    expect(strata(['run', '--rm', '--runtime', runtime, 'starter', 'sh', '-c', 'echo out; echo err >&2; exit 4'])).toMatchObject({ code: 4, stdout: 'out\n', stderr: 'err\n' });
    const status = ok('run', '--rm', '--runtime', runtime, 'starter', 'cat', '/proc/self/status');
    expect(status).toMatch(/CapEff:\s*00000000a80425fb/);
    // Docker's /dev (crun adds its own /dev/core link to /proc/kcore).
    const dev = ok('run', '--rm', '--runtime', runtime, 'starter', 'ls', '/dev').trim().split('\n');
    expect(dev.filter((d) => !(runtime === 'crun' && d === 'core'))).toEqual(['fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
    // The device cgroup holds: a node made inside cannot be opened.
    expect(strata(['run', '--rm', '--runtime', runtime, 'starter', 'sh', '-c', 'mknod /tmp/mem c 1 1 && head -c1 /tmp/mem']).code).not.toBe(0);
    expect(strata(['run', '--rm', '--runtime', runtime, 'starter', 'nosuchprogram']).code).toBe(127);
  });

  it('gives it a terminal with -it', () => {
    const r = onTerminal(['run', '--rm', '-it', '--runtime', runtime, 'starter', 'sh', '-c', 'tty; exit 5']);
    expect(r.output).toContain('/dev/pts/0');
    expect(r.code).toBe(5);
  });

  it('execs, pauses, logs, stops and removes it as any container, leaving nothing mounted', () => {
    const name = `svc-${runtime}`;
    ok('run', '-d', '--name', name, '--runtime', runtime, 'starter', 'sh', '-c', 'echo started; exec sleep 300');
    expect(ok('inspect', '-f', '{{.HostConfig.Runtime}}', name)).toBe(`${runtime}\n`);
    expect(ok('exec', name, 'echo', 'in')).toBe('in\n');
    ok('pause', name);
    expect(ok('ps', '--filter', `name=${name}`, '--format', '{{.Status}}')).toContain('(Paused)');
    ok('unpause', name);
    ok('stop', '-t', '1', name);
    expect(ok('ps', '-a', '--filter', `name=${name}`, '--format', '{{.Status}}')).toMatch(/^Exited \((137|143)\)/);
    expect(ok('logs', name)).toBe('started\n');
    const dir = path.join(root, 'containers', ok('inspect', '-f', '{{.Id}}', name).trim());
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(`${dir}/merged`);
    ok('rm', name);
  });
});

describe.each(installed)('--runtime %s with a policy', (runtime) => {
  it('restarts it by its policy, each run created anew by the runtime, and leaves nothing mounted', async () => {
    const name = `restarts-${runtime}`;
    ok('run', '-d', '--name', name, '--runtime', runtime, '--restart', 'on-failure:2', 'starter', 'sh', '-c', 'echo run; exit 3');
    const id = ok('inspect', '-f', '{{.Id}}', name).trim();
    await until('the last restart', async () => ok('inspect', '-f', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}', name), (s) => s.startsWith('exited'));
    expect(ok('inspect', '-f', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}', name)).toBe('exited 2 3\n');
    expect(ok('logs', name)).toBe('run\nrun\nrun\n');
    // Each run is the runtime's own: created and started by it, not by the launcher's clone.
    const steps = ok('events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'type=kernel', '--filter', `container=${id}`);
    const created = steps.split('\n').filter((l) => l.includes(` kernel runtime_create ${id} `));
    expect(created).toHaveLength(runtime === 'strata' ? 0 : 3);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(`${path.join(root, 'containers', id)}/merged`);
    ok('rm', name);
  });

  it('runs its health check in it', async () => {
    const name = `health-${runtime}`;
    ok('run', '-d', '--name', name, '--runtime', runtime, '--health-cmd', 'test -e /tmp/ready', '--health-interval', '1s', 'starter', 'sh', '-c', 'touch /tmp/ready; exec sleep 300');
    await until('healthy', async () => ok('inspect', '-f', '{{.State.Health.Status}}', name), (s) => s === 'healthy\n');
    ok('rm', '-f', name);
  });
});

it('refuses a runtime this machine does not have', () => {
  expect(strata(['run', '--rm', '--runtime', 'kata', 'starter', 'true'])).toMatchObject({ code: 125, stderr: expect.stringContaining('unknown or invalid runtime name: kata') });
});
