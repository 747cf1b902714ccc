// The judge: the same system call probe in Docker's containers (a private
// dockerd on this machine) and in Strata's, under the same options. They
// must answer alike, but for calls whose rules moby's profile changed since
// the Docker on this machine (Debian 12's is 20.10, older than the profile
// Strata carries). And the security flags, as a container sees them.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../api';
import { startDockerd, type PrivateDocker } from '../registry/testing/dockerd';
import { buildSyscallProbe } from '../testing/syscallProbe';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let docker: PrivateDocker;
let dir: string;
let probeDir: string;

const calls = [
  'mount', 'umount2', 'unshare', 'unshare-user', 'keyctl', 'add_key', 'request_key', 'bpf', 'kexec_load', 'clock_settime',
  'settimeofday', 'reboot', 'init_module', 'delete_module', 'acct', 'ptrace', 'personality', 'personality-addr-no-randomize',
  'socket-inet', 'socket-vsock', 'clone', 'clone-newuser', 'clone3', 'setns', 'sethostname', 'chroot', 'quotactl',
  'perf_event_open', 'process_vm_readv', 'get_mempolicy', 'move_pages', 'getpid',
];

/**
 * Rules moby's profile changed after Docker 20.10: AF_VSOCK (and AF_ALG)
 * sockets refused; process_vm_readv/writev and ptrace allowed on kernels
 * from 4.8 without CAP_SYS_PTRACE.
 */
const changedSince2010 = ['socket-vsock', 'process_vm_readv'];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-vs-docker-'));
  probeDir = buildSyscallProbe(fs.mkdtempSync(path.join(os.tmpdir(), 'strata-probe-')));
  t = await tempEngine();
  docker = await startDockerd(path.join(dir, 'dockerd'), []);
  const archive = path.join(dir, 'starter.tar');
  await t.client.call('image.saveFile', { refs: [t.image], path: archive });
  await docker.docker(['load', '-i', archive]);
}, 120_000);
afterAll(async () => {
  await docker?.stop();
  await t?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(probeDir, { recursive: true, force: true });
});

const answers = (out: string): Record<string, string> => Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')));

async function inDocker(flags: string[]): Promise<Record<string, string>> {
  const { stdout } = await docker.docker(['run', '--rm', '--network', 'none', '-v', `${probeDir}:/probe:ro`, ...flags, t.image, '/probe/probe', ...calls]);
  return answers(stdout);
}

async function inStrata(opts: Partial<CreateOptions>): Promise<Record<string, string>> {
  const { id } = await t.client.call('container.create', { networkMode: 'none', image: t.image, cmd: ['/probe/probe', ...calls], binds: [`${probeDir}:/probe:ro`], ...opts });
  return answers((await collect(t.client, id)).stdout);
}

describe('the seccomp probe in Docker and in Strata', () => {
  it.each<[string, string[], Partial<CreateOptions>]>([
    ['the default profile', [], {}],
    ['CAP_SYS_ADMIN added', ['--cap-add', 'SYS_ADMIN'], { capAdd: ['SYS_ADMIN'] }],
    ['CAP_SYS_CHROOT dropped', ['--cap-drop', 'SYS_CHROOT'], { capDrop: ['SYS_CHROOT'] }],
    ['seccomp=unconfined', ['--security-opt', 'seccomp=unconfined'], { securityOpt: ['seccomp=unconfined'] }],
  ])('answers alike with %s', async (_what, flags, opts) => {
    const [d, s] = await Promise.all([inDocker(flags), inStrata(opts)]);
    expect(Object.keys(s)).toEqual(calls);
    const differing = calls.filter((c) => d[c] !== s[c]);
    expect(differing.filter((c) => !changedSince2010.includes(c)), JSON.stringify({ docker: d, strata: s })).toEqual([]);
  }, 60_000);
});

describe('the security flags, as the container sees them, in Docker and in Strata', () => {
  it('cap-drop ALL + cap-add, no-new-privileges, read-only, group-add, ulimit, shm-size, init', async () => {
    const script =
      'grep -E "^(Groups|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2; touch /x 2>&1; cat /proc/1/comm';
    const flags = ['--cap-drop', 'ALL', '--cap-add', 'chown', '--security-opt', 'no-new-privileges', '--read-only', '--group-add', '1234', '--ulimit', 'nofile=100:200', '--shm-size', '1m', '--init'];
    const d = await docker.docker(['run', '--rm', '--network', 'none', ...flags, t.image, 'sh', '-c', script]);
    const { id } = await t.client.call('container.create', {
      networkMode: 'none',
      image: t.image,
      cmd: ['sh', '-c', script],
      capDrop: ['ALL'],
      capAdd: ['chown'],
      securityOpt: ['no-new-privileges'],
      readOnly: true,
      groupAdd: ['1234'],
      ulimits: [{ name: 'nofile', soft: 100, hard: 200 }],
      shmSize: 1 << 20,
      init: true,
    });
    const s = await collect(t.client, id);
    expect(s.stdout + s.stderr).toBe(d.stdout + d.stderr);
    expect(s.stdout).toContain('NoNewPrivs:\t1');
  }, 60_000);
});

describe('limits in Docker and in Strata', () => {
  it('the same HostConfig in inspect, and the same values in the cgroup files', async () => {
    const flags = ['-m', '64m', '--memory-reservation', '32m', '--cpus', '1.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--pids-limit', '50', '--oom-kill-disable'];
    const { stdout } = await docker.docker(['run', '-d', '--network', 'none', ...flags, t.image, 'sleep', '60']);
    const dockerId = stdout.trim();
    const { id } = await t.client.call('container.create', {
      networkMode: 'none',
      image: t.image,
      cmd: ['sleep', '60'],
      memory: 64 << 20,
      memoryReservation: 32 << 20,
      nanoCpus: 1.5e9,
      cpuShares: 512,
      cpusetCpus: '0',
      pidsLimit: 50,
      oomKillDisable: true,
    });
    await t.client.call('container.start', { id });
    const keys = ['Memory', 'MemorySwap', 'MemoryReservation', 'OomKillDisable', 'NanoCpus', 'CpuShares', 'CpusetCpus', 'PidsLimit', 'BlkioWeight', 'ShmSize', 'CapAdd', 'CapDrop', 'ReadonlyRootfs'];
    const theirs = JSON.parse((await docker.docker(['inspect', '-f', '{{json .HostConfig}}', dockerId])).stdout);
    const ours = (await t.client.call('container.inspect', { id })).HostConfig as unknown as Record<string, unknown>;
    expect(Object.fromEntries(keys.map((k) => [k, ours[k]]))).toEqual(Object.fromEntries(keys.map((k) => [k, theirs[k]])));
    const files = ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes', 'memory.soft_limit_in_bytes', 'cpu.cfs_quota_us', 'cpu.cfs_period_us', 'cpu.shares', 'cpuset.cpus', 'pids.max'];
    const read = (dirs: string[], f: string) => fs.readFileSync(dirs.map((d) => path.join(d, f)).find((x) => fs.existsSync(x))!, 'utf8');
    const dockerDirs = ['memory', 'cpu', 'cpuset', 'pids'].map((c) => `/sys/fs/cgroup/${c}/docker/${dockerId}`).filter((d) => fs.existsSync(d));
    const ourDirs: string[] = JSON.parse(fs.readFileSync(path.join(t.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;
    expect(files.map((f) => read(ourDirs, f))).toEqual(files.map((f) => read(dockerDirs, f)));
    await docker.docker(['rm', '-f', dockerId]);
    await t.client.call('container.remove', { id, force: true });
  }, 60_000);
});
