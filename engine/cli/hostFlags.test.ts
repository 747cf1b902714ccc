// The run/create, logs, attach, prune and build flags of the complete CLI,
// through bin/strata as a user types them, on the real kernel: what the
// container then sees, what lands on disk, what docker would print.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../bin/strata');
let root: string;

/**
 * Containers here have no network (--network none) unless a test says
 * otherwise: networking is not what these tests look at, and a bridge's
 * teardown depends on netavark's firewall chains, which every engine on the
 * machine shares.
 */
function offline(args: string[]): string[] {
  if ((args[0] !== 'run' && args[0] !== 'create') || args.some((a) => a.startsWith('--network'))) return args;
  return [args[0], '--network', 'none', ...args.slice(1)];
}

function strata(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(strataBin, offline(args), { env: { ...process.env, STRATA_ROOT: root }, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.code, `strata ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const containerDir = (name: string) => path.join(root, 'containers', ok('inspect', '-f', '{{.Id}}', name).trim());

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-flags-'));
  ok('bootstrap');
});

afterEach(() => {
  const ids = strata(['ps', '-aq']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', ...ids]);
  fs.rmSync(root, { recursive: true, force: true });
});

const lines200 = 'i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done';

describe('log drivers', () => {
  it('rotates json-file logs: at most max-file files of max-size, the newest lines kept in order', () => {
    ok('run', '--name', 'rot', '--log-opt', 'max-size=1k', '--log-opt', 'max-file=3', 'starter', 'sh', '-c', lines200);
    const dir = containerDir('rot');
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('log.json'));
    expect(files.sort()).toEqual(['log.json', 'log.json.1', 'log.json.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(1000); // max-size is decimal: 1k = 1000 bytes
    const shown = ok('logs', 'rot').trimEnd().split('\n');
    const first = Number(shown[0].slice('line-'.length));
    expect(shown).toEqual(Array.from({ length: 200 - first }, (_, k) => `line-${first + k}`));
    expect(ok('logs', '--tail', '2', 'rot')).toBe('line-198\nline-199\n');
  });

  it('writes the local driver: framed protobuf entries, rotated files compressed', () => {
    ok('run', '--name', 'loc', '--log-driver', 'local', '--log-opt', 'max-size=1k', '--log-opt', 'max-file=3', 'starter', 'sh', '-c', `${lines200}; echo oops >&2`);
    const dir = path.join(containerDir('loc'), 'local-logs');
    expect(fs.readdirSync(dir).sort()).toEqual(['container.log', 'container.log.1.gz', 'container.log.2.gz']);
    // Each entry: its size (4 bytes, big-endian), a LogEntry (source, time_nano, line), its size again.
    const raw = gunzipSync(fs.readFileSync(path.join(dir, 'container.log.1.gz')));
    const size = raw.readUInt32BE(0);
    expect(raw.readUInt32BE(4 + size)).toBe(size);
    expect(raw.subarray(4, 4 + size).includes(Buffer.from('stdout'))).toBe(true);
    expect(strata(['logs', '--tail', '2', 'loc'])).toMatchObject({ code: 0, stdout: 'line-199\n', stderr: 'oops\n' });
    expect(JSON.parse(ok('inspect', '-f', '{{json .HostConfig.LogConfig}}', 'loc'))).toEqual({
      Type: 'local',
      Config: { 'max-size': '1k', 'max-file': '3', compress: 'true' },
    });
  });

  it('keeps nothing with the none driver, and says so to logs', () => {
    expect(ok('run', '--name', 'quiet', '--log-driver', 'none', 'starter', 'echo', 'hi')).toBe('hi\n');
    expect(strata(['logs', 'quiet'])).toMatchObject({ code: 1, stderr: 'Error: configured logging driver does not support reading\n' });
  });

  it("refuses what dockerd refuses", () => {
    expect(strata(['run', '--log-driver', 'syslog', 'starter', 'true']).stderr).toContain("logger: no log driver named 'syslog' is registered");
    expect(strata(['run', '--log-opt', 'max-bytes=1', 'starter', 'true']).stderr).toContain("unknown log opt 'max-bytes' for json-file log driver");
    expect(strata(['run', '--log-opt', 'compress=true', 'starter', 'true']).stderr).toContain('compress cannot be true when max-file is less than 2 or max-size is not set');
  });

  it('shows --details, --timestamps, --since and --until as docker does', () => {
    ok('run', '--name', 'det', '-l', 'team=a', '-e', 'STAGE=dev', '--log-opt', 'labels=team', '--log-opt', 'env=STAGE', 'starter', 'echo', 'x');
    expect(ok('logs', '--details', 'det')).toBe('STAGE=dev,team=a x\n');
    ok('run', '--name', 'plain', 'starter', 'echo', 'y');
    expect(ok('logs', '--details', 'plain')).toBe(' y\n');
    expect(ok('logs', '-t', 'plain')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z y\n$/);
    expect(ok('logs', '--since', '10m', 'plain')).toBe('y\n');
    expect(ok('logs', '--until', '10m', 'plain')).toBe('');
    expect(ok('logs', '--since', '2000-01-01T00:00:00Z', '--until', '2100-01-01', 'plain')).toBe('y\n');
    expect(strata(['logs', '--since', 'yesterday', 'plain'])).toMatchObject({ code: 125 });
  });
});

describe('how a container sits on the host', () => {
  it('joins or makes its namespaces as --ipc, --pid, --uts and --cgroupns say', () => {
    const own = (ns: string) => fs.readlinkSync(`/proc/self/ns/${ns}`);
    expect(ok('run', '--rm', '--pid', 'host', 'starter', 'readlink', '/proc/self/ns/pid').trim()).toBe(own('pid'));
    expect(ok('run', '--rm', '--uts', 'host', 'starter', 'hostname').trim()).toBe(os.hostname());
    expect(ok('run', '--rm', '--ipc', 'host', 'starter', 'readlink', '/proc/self/ns/ipc').trim()).toBe(own('ipc'));
    expect(ok('run', '--rm', 'starter', 'readlink', '/proc/self/ns/ipc').trim()).not.toBe(own('ipc'));
    ok('run', '-d', '--name', 'donor', '--ipc', 'shareable', 'starter', 'sleep', '300');
    expect(ok('run', '--rm', '--ipc', 'container:donor', 'starter', 'readlink', '/proc/self/ns/ipc')).toBe(ok('exec', 'donor', 'readlink', '/proc/self/ns/ipc'));
    expect(strata(['run', '--rm', '--ipc', 'none', 'starter', 'ls', '/dev/shm']).code).not.toBe(0);
    // A private cgroup namespace is rooted at the container's own cgroup.
    expect(ok('run', '--rm', '--cgroupns', 'private', 'starter', 'cat', '/proc/self/cgroup')).toMatch(/^\d+:[^:]*:\/$/m);
    expect(ok('run', '--rm', 'starter', 'cat', '/proc/self/cgroup')).toMatch(/:\/.*strata/);
    expect(strata(['run', '--rm', '--userns', 'remap', 'starter', 'true']).code).toBe(125);
  });

  it('sets the domain name, namespaced sysctls and the OOM score', () => {
    const out = ok('run', '--rm', '--domainname', 'example.org', '--sysctl', 'net.ipv4.ip_forward=1', '--sysctl', 'kernel.shmmax=123456', '--oom-score-adj', '500', 'starter', 'sh', '-c', 'cat /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/self/oom_score_adj');
    expect(out).toBe('example.org\n1\n123456\n500\n');
    expect(strata(['run', '--rm', '--sysctl', 'kernel.hostname=x', 'starter', 'true']).stderr).toContain("sysctl 'kernel.hostname=x' is not whitelisted");
    expect(strata(['run', '--rm', '--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1', 'starter', 'true']).stderr).toContain('not allowed in host network namespace');
    expect(strata(['run', '--rm', '--oom-score-adj', '1001', 'starter', 'true']).stderr).toContain('range for oom score adj is [-1000, 1000]');
  });

  it('takes --label-file, --cidfile and --attach', () => {
    const labels = path.join(root, 'labels');
    fs.writeFileSync(labels, '# team labels\nteam=a\n\nowner=me\n');
    const cidfile = path.join(root, 'cid');
    const id = ok('create', '--name', 'lab', '--label-file', labels, '-l', 'owner=you', '--cidfile', cidfile, 'starter', 'true').trim();
    expect(fs.readFileSync(cidfile, 'utf8')).toBe(id);
    expect(JSON.parse(ok('inspect', '-f', '{{json .Config.Labels}}', 'lab'))).toEqual({ team: 'a', owner: 'you' });
    expect(strata(['create', '--cidfile', cidfile, 'starter', 'true']).stderr).toContain('Container ID file found');
    expect(strata(['run', '--rm', '-a', 'stderr', 'starter', 'sh', '-c', 'echo out; echo err >&2'])).toMatchObject({ code: 0, stdout: '', stderr: 'err\n' });
    expect(strata(['run', '-d', '-a', 'stdout', 'starter', 'true']).stderr).toContain('Conflicting options: -a and -d');
  });

  it('accepts or refuses the flags one Linux host cannot apply, as the README lists', () => {
    expect(strata(['run', '--rm', '--gpus', 'all', 'starter', 'true']).stderr).toContain('could not select device driver "" with capabilities: [[gpu]]');
    expect(strata(['run', '--rm', '--isolation', 'hyperv', 'starter', 'true']).stderr).toContain("linux only supports 'default'");
    expect(strata(['run', '--rm', '--storage-opt', 'size=1G', 'starter', 'true']).stderr).toContain('--storage-opt is supported only for overlay over xfs');
    expect(strata(['run', '--rm', '--volume-driver', 'nfs', 'starter', 'true']).stderr).toContain('plugin "nfs" not found');
    expect(ok('run', '--rm', '--isolation', 'default', '--volume-driver', 'local', '--disable-content-trust', 'starter', 'true')).toBe('');
    expect(strata(['run', '--rm', '--kernel-memory', '64m', 'starter', 'true'])).toMatchObject({ code: 0, stderr: expect.stringContaining('Limitation discarded') });
    // As dockerd without its default bridge: links need a user-defined network.
    ok('create', '--name', 'target', 'starter', 'true');
    expect(strata(['run', '--rm', '--link', 'target:db', 'starter', 'true'])).toMatchObject({ code: 125, stderr: expect.stringContaining('links are only supported for user-defined networks') });
  });
});

describe('attach, prune', () => {
  it('attaches to a running container and exits with its status', async () => {
    ok('run', '-d', '--name', 'talker', 'starter', 'sh', '-c', 'sleep 1; echo hello; exit 3');
    const child = spawn(strataBin, ['attach', 'talker'], { env: { ...process.env, STRATA_ROOT: root } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(out).toBe('hello\n');
    expect(code).toBe(3);
  });

  it('prunes stopped containers and dangling images, as docker words it', () => {
    ok('create', '--name', 'idle', '-l', 'keep=no', 'starter', 'true');
    ok('create', '--name', 'kept', '-l', 'keep=yes', 'starter', 'true');
    ok('run', '-d', '--name', 'busy', 'starter', 'sleep', '300');
    const idle = ok('inspect', '-f', '{{.Id}}', 'idle').trim();
    expect(ok('container', 'prune', '-f', '--filter', 'label=keep=no')).toBe(`Deleted Containers:\n${idle}\n\nTotal reclaimed space: 0B\n`);
    expect(strata(['container', 'prune'], 'n\n').stdout).toBe('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ');
    expect(ok('ps', '-a', '--format', '{{.Names}}')).toBe('busy\nkept\n');
    expect(strata(['system', 'prune'], 'n\n').stdout).toBe(
      'WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n\nAre you sure you want to continue? [y/N] ',
    );
    expect(ok('system', 'prune', '-f')).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: \S+\n$/);
    expect(ok('ps', '-a', '--format', '{{.Names}}')).toBe('busy\n');
  });
});

describe('build', () => {
  it('writes --iidfile, keeps containers with --rm=false, removes a failed one with --force-rm, and RUNs on the host network', () => {
    const ctx = path.join(root, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM starter\nRUN cat /proc/net/dev | grep -c : > /ifaces\n');
    const iid = path.join(root, 'iid');
    ok('build', '-q', '--iidfile', iid, '--rm=false', '--network', 'host', ctx);
    const id = fs.readFileSync(iid, 'utf8');
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The host has more interfaces than a container's lone loopback.
    expect(Number(ok('run', '--rm', id, 'cat', '/ifaces'))).toBeGreaterThan(1);
    expect(ok('ps', '-aq').trim().split('\n')).toHaveLength(1); // the RUN step's container, kept
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM starter\nRUN exit 7\n');
    expect(strata(['build', '--network', 'none', '--force-rm', ctx]).code).toBe(7);
    expect(ok('ps', '-aq').trim().split('\n')).toHaveLength(1);
    expect(strata(['build', '--network', 'none', ctx]).code).toBe(7);
    expect(ok('ps', '-aq').trim().split('\n')).toHaveLength(2); // a failed step's container stays without --force-rm
    expect(strata(['build', '--network', 'none', '--squash', ctx]).stderr).toContain('squash is only supported with experimental mode');
  });

  it("gives RUN's containers the resource flags: limits, seccomp, /dev/shm and ulimits", () => {
    const ctx = path.join(root, 'ctx');
    fs.mkdirSync(ctx);
    const probe = 'grep ^Seccomp: /proc/self/status; ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2';
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM starter\nRUN ${probe}\n`);
    const flags = ['-m', '64m', '--memory-swap', '128m', '-c', '512', '--cpuset-cpus', '0', '--security-opt', 'seccomp=unconfined', '--shm-size', '1m'];
    const out = ok('build', '--network', 'none', '--rm=false', ...flags, '--ulimit', 'nofile=100:200', ctx);
    expect(out).toContain('Seccomp:\t0\n100\n200\n1024\n');
    const kept = ok('ps', '-aq').trim();
    const host = JSON.parse(ok('inspect', '-f', '{{json .HostConfig}}', kept));
    expect([host.Memory, host.MemorySwap, host.CpuShares, host.CpusetCpus, host.SecurityOpt, host.ShmSize]).toEqual([
      64 * 1024 * 1024, 128 * 1024 * 1024, 512, '0', ['seccomp=unconfined'], 1024 * 1024,
    ]);
    const refused = strata(['build', '--no-cache', '--network', 'none', '-m', '1k', ctx]);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('Minimum memory limit allowed is 6MB')]);
  });

  it('takes steps from --cache-from images that came from elsewhere', () => {
    const ctx = path.join(root, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM starter\nRUN echo made > /made\nCMD ["cat", "/made"]\n');
    ok('build', '--network', 'none', '-t', 'app:1', ctx);
    const archive = path.join(root, 'app.tar');
    ok('save', '-o', archive, 'app:1');
    ok('rmi', 'app:1');
    ok('load', '-i', archive); // the image is back, without its local build history
    const out = ok('build', '--network', 'none', '--cache-from', 'app:1', '-t', 'app:2', ctx);
    expect(out.match(/ ---> Using cache/g)).toHaveLength(2);
    expect(out).not.toContain('Running in');
    expect(ok('run', '--rm', 'app:2')).toBe('made\n');
  });
});
