// run/create's limit and security flags, update and stats, as a user types
// them, compared with what docker 20.10 prints for the same commands here.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, type CliRoot } from '../testing/cliRoot';

let c: CliRoot;
beforeAll(() => {
  c = cliRoot();
}, 60_000);
afterAll(() => c?.dispose());

describe('run with limits and security flags', () => {
  it('applies each one inside the container and records it as docker inspect shows it', () => {
    const out = c.ok(
      'run', '--network', 'none', '--name', 'limited', '-m', '64m', '--memory-swap', '-1', '--memory-reservation', '32m', '--cpus', '1.5', '-c', '512',
      '--cpuset-cpus', '0', '--pids-limit', '50', '--cap-drop', 'ALL', '--cap-add', 'chown', '--security-opt', 'no-new-privileges',
      '--ulimit', 'nofile=100:200', '--shm-size', '1m', '--read-only', '--group-add', '1234', '--init',
      'starter', 'sh', '-c', 'grep -E "^(CapEff|NoNewPrivs|Seccomp|Groups):" /proc/self/status; ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2; cat /proc/1/comm',
    );
    expect(out).toBe('Groups:\t0 1234 \nCapEff:\t0000000000000001\nNoNewPrivs:\t1\nSeccomp:\t2\n100\n200\n1024\ndocker-init\n');
    const fields = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.ShmSize}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Init}}';
    expect(c.ok('inspect', '-f', fields, 'limited')).toBe('67108864 -1 33554432 1500000000 512 0 50 1048576 true true\n');
    expect(c.ok('inspect', '-f', '{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}} {{json .HostConfig.SecurityOpt}} {{json .HostConfig.Ulimits}}', 'limited')).toBe(
      '["CAP_CHOWN"] ["ALL"] ["no-new-privileges"] [{"Name":"nofile","Hard":200,"Soft":100}]\n',
    );
  });

  it('sends a seccomp profile file as JSON, and refuses a bad one as the docker CLI does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-profile-'));
    const file = path.join(dir, 'p.json');
    fs.writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }, null, 2));
    const r = c.strata(['run', '--network', 'none', '--rm', '--security-opt', `seccomp=${file}`, 'starter', 'mkdir', '/x']);
    expect([r.code, r.stderr]).toEqual([1, "mkdir: can't create directory '/x': Permission denied\n"]);
    fs.writeFileSync(file, '{bad');
    const bad = c.strata(['run', '--network', 'none', '--rm', '--security-opt', `seccomp=${file}`, 'starter', 'true']);
    expect([bad.code, bad.stderr]).toEqual([125, `Error: compacting json for seccomp profile (${file}) failed: ${jsonError('{bad')}\n`]);
    const none = c.strata(['run', '--network', 'none', '--rm', '--security-opt', 'seccomp=/nonexistent.json', 'starter', 'true']);
    expect([none.code, none.stderr]).toEqual([125, 'Error: opening seccomp profile (/nonexistent.json) failed: open /nonexistent.json: no such file or directory\n']);
    fs.rmSync(dir, { recursive: true });
  });

  it.each([
    [['-m', 'abc'], 'invalid argument "abc" for "-m, --memory" flag: invalid size: \'abc\''],
    [['--cpus', '0.0000000001'], 'invalid argument "0.0000000001" for "--cpus" flag: value is too precise'],
    [['--cpus', 'x'], 'invalid argument "x" for "--cpus" flag: failed to parse x as a rational number'],
    [['--ulimit', 'nofile=10:5'], 'invalid argument "nofile=10:5" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 10 > 5'],
    [['--ulimit', 'foo=1'], 'invalid argument "foo=1" for "--ulimit" flag: invalid ulimit type: foo'],
    [['--shm-size', '-1'], 'invalid argument "-1" for "--shm-size" flag: invalid size: \'-1\''],
  ])('refuses %j with exit 125 and pflag’s words', (flags, message) => {
    const r = c.strata(['run', '--network', 'none', '--rm', ...flags, 'starter', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  it('refuses what dockerd refuses, creating nothing', () => {
    const before = c.ok('ps', '-aq');
    for (const [flags, message] of [
      [['-m', '4m'], 'Minimum memory limit allowed is 6MB'],
      [['--cap-add', 'nope'], 'invalid CapAdd: unknown capability: "CAP_NOPE"'],
      [['--security-opt', 'foo'], 'Invalid --security-opt: "foo"'],
    ] as const) {
      const r = c.strata(['run', '--network', 'none', '--rm', ...flags, 'starter', 'true']);
      expect([r.code, r.stderr]).toEqual([125, `Error: ${message}\n`]);
    }
    expect(c.ok('ps', '-aq')).toBe(before);
  });
});

describe('the CFS period and quota, memory nodes and swappiness', () => {
  /** A cgroup file of the container, from whichever of its cgroups has it. */
  function cgroupFile(name: string, file: string): string {
    const id = c.ok('inspect', '-f', '{{.Id}}', name).trim();
    const dirs: string[] = JSON.parse(fs.readFileSync(path.join(c.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;
    return fs.readFileSync(dirs.map((d) => path.join(d, file)).find((f) => fs.existsSync(f))!, 'utf8').trim();
  }

  it('writes them into the cgroups, shows them as docker inspect does, and changes period and quota with update', () => {
    c.ok('run', '--network', 'none', '-d', '--name', 'cfs', '--cpu-period', '50000', '--cpu-quota', '25000', '--cpuset-mems', '0', '--memory-swappiness', '10', 'starter', 'sleep', '600');
    expect([cgroupFile('cfs', 'cpu.cfs_period_us'), cgroupFile('cfs', 'cpu.cfs_quota_us'), cgroupFile('cfs', 'cpuset.mems'), cgroupFile('cfs', 'memory.swappiness')]).toEqual(['50000', '25000', '0', '10']);
    const fields = '{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpusetMems}} {{json .HostConfig.MemorySwappiness}}';
    expect(c.ok('inspect', '-f', fields, 'cfs')).toBe('50000 25000 0 10\n');
    c.ok('update', '--cpu-quota', '40000', 'cfs');
    expect(cgroupFile('cfs', 'cpu.cfs_quota_us')).toBe('40000');
    const nano = c.strata(['update', '--cpus', '1', 'cfs']);
    const id = c.ok('inspect', '-f', '{{.Id}}', 'cfs').trim();
    expect([nano.code, nano.stderr]).toEqual([1, `Error: Cannot update container ${id}: Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set\n`]);
    c.ok('rm', '-f', 'cfs');
    // As with dockerd (and runc) here: the engine's cgroup has no real-time budget to hand down, so the kernel refuses at start.
    c.ok('create', '--network', 'none', '--name', 'rt', '--cpu-rt-runtime', '1000', 'starter', 'true');
    expect(c.ok('inspect', '-f', '{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}', 'rt')).toBe('0 1000\n');
    c.ok('update', '--cpu-rt-runtime', '5000', 'rt');
    expect(c.ok('inspect', '-f', '{{.HostConfig.CpuRealtimeRuntime}}', 'rt')).toBe('5000\n');
    const rt = c.strata(['start', 'rt']);
    expect([rt.code, rt.stderr]).toEqual([1, expect.stringMatching(/failed to write 5000 to .*cpu\.rt_runtime_us: .*invalid argument/)]);
    c.ok('rm', 'rt');
    c.ok('create', '--network', 'none', '--name', 'plain', 'starter', 'true');
    expect(c.ok('inspect', '-f', fields, 'plain')).toBe('0 0  null\n');
    c.ok('rm', 'plain');
  });

  it.each([
    [['--cpus', '1', '--cpu-period', '50000'], 'Conflicting options: Nano CPUs and CPU Period cannot both be set'],
    [['--cpu-period', '999'], 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)'],
    [['--cpu-quota', '999'], 'CPU cfs quota can not be less than 1ms (i.e. 1000)'],
    [['--cpuset-mems', '7'], 'Requested memory nodes are not available - requested 7, available: 0'],
    [['--memory-swappiness', '101'], 'Invalid value: 101, valid memory swappiness range is 0-100'],
    [['--cpu-rt-runtime', '2000', '--cpu-rt-period', '1000'], 'cpu real-time runtime cannot be higher than cpu real-time period'],
  ])('refuses %j as dockerd does', (flags, message) => {
    const r = c.strata(['run', '--network', 'none', '--rm', ...flags, 'starter', 'true']);
    expect([r.code, r.stderr]).toEqual([125, `Error: ${message}\n`]);
  });
});

describe('per-device block I/O limits', () => {
  it('writes the throttles for the device, shows them as docker inspect does, and drops a weight the kernel cannot set with its warning', () => {
    const device = fs.readdirSync('/dev').map((d) => `/dev/${d}`).find((d) => fs.statSync(d).isBlockDevice())!;
    const rdev = fs.statSync(device).rdev;
    const numbers = `${Math.floor(rdev / 256) & 0xfff}:${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}`;
    const r = c.strata(['run', '--network', 'none', '-d', '--name', 'io', '--device-read-bps', `${device}:1mb`, '--device-write-iops', `${device}:100`, '--blkio-weight-device', `${device}:300`, 'starter', 'sleep', '600']);
    expect(r.code).toBe(0);
    const weightFile = fs.existsSync('/sys/fs/cgroup/blkio/blkio.weight_device') || fs.existsSync('/sys/fs/cgroup/blkio/blkio.bfq.weight_device');
    if (!weightFile) expect(r.stderr).toBe('WARNING: Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.\n');
    const id = c.ok('inspect', '-f', '{{.Id}}', 'io').trim();
    const dirs: string[] = JSON.parse(fs.readFileSync(path.join(c.root, 'containers', id, 'cgroups.json'), 'utf8')).dirs;
    const blkio = dirs.find((d) => fs.existsSync(path.join(d, 'blkio.throttle.read_bps_device')))!;
    expect(fs.readFileSync(path.join(blkio, 'blkio.throttle.read_bps_device'), 'utf8')).toBe(`${numbers} 1048576\n`);
    expect(fs.readFileSync(path.join(blkio, 'blkio.throttle.write_iops_device'), 'utf8')).toBe(`${numbers} 100\n`);
    expect(c.ok('inspect', '-f', '{{json .HostConfig.BlkioDeviceReadBps}} {{json .HostConfig.BlkioDeviceWriteIOps}} {{json .HostConfig.BlkioDeviceReadIOps}}', 'io')).toBe(
      `[{"Path":"${device}","Rate":1048576}] [{"Path":"${device}","Rate":100}] null\n`,
    );
    c.ok('rm', '-f', 'io');
  });

  it.each([
    [['--device-read-bps', 'vda:1'], 'invalid argument "vda:1" for "--device-read-bps" flag: bad format for device path: vda:1'],
    [['--device-write-bps', '/dev/vda'], 'invalid argument "/dev/vda" for "--device-write-bps" flag: bad format: /dev/vda'],
    [['--device-read-iops', '/dev/vda:1k'], 'invalid argument "/dev/vda:1k" for "--device-read-iops" flag: invalid rate for device: /dev/vda:1k. The correct format is <device-path>:<number>. Number must be a positive integer'],
    [['--blkio-weight-device', '/dev/vda:5'], 'invalid argument "/dev/vda:5" for "--blkio-weight-device" flag: invalid weight for device: /dev/vda:5'],
  ])('refuses %j with exit 125 and the docker CLI’s words', (flags, message) => {
    const r = c.strata(['run', '--network', 'none', '--rm', ...flags, 'starter', 'true']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([125, message]);
  });
});

describe('update', () => {
  it('prints each container as named, then the warnings; fails together at the end', () => {
    c.ok('run', '--network', 'none', '-d', '--name', 'u1', '-m', '64m', 'starter', 'sleep', '600');
    expect(c.ok('update', '-m', '100m', '--memory-swap', '200m', '--pids-limit', '10', 'u1')).toBe('u1\n');
    expect(c.ok('inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}}', 'u1')).toBe('104857600 209715200 10\n');
    const r = c.strata(['update', '--pids-limit', '20', 'nosuch', 'u1']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, 'u1\n', 'Error: No such container: nosuch\n']);
    expect(c.ok('update', '--kernel-memory', '10m', 'u1')).toBe('u1\nYour kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.\n');
    const none = c.strata(['update', 'u1']);
    expect([none.code, none.stderr]).toEqual([125, 'Error: you must provide one or more flags when using this command\n']);
    c.ok('rm', '-f', 'u1');
  });
});

describe('stats', () => {
  const header = 'CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS';

  it("--no-stream prints docker's table once; -a adds stopped containers at zero", () => {
    const id = c.ok('run', '--network', 'none', '-d', '--name', 's1', '-m', '100m', 'starter', 'sleep', '600').trim();
    const lines = c.ok('stats', '--no-stream').split('\n');
    expect(lines[0]).toBe(header);
    expect(lines[1]).toMatch(new RegExp(`^${id.slice(0, 12)}   s1        \\d+\\.\\d\\d%\\s+\\d+(\\.\\d+)?KiB / 100MiB\\s+\\d+\\.\\d\\d%\\s+0B / 0B   0B / 0B     1$`));
    expect(lines.length).toBe(3);
    c.ok('create', '--network', 'none', '--name', 's2', 'starter', 'true');
    const all = c.ok('stats', '--no-stream', '-a').split('\n');
    expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{12}   s2        0\.00%     0B \/ 0B             0\.00%     0B \/ 0B   0B \/ 0B     0$/)]));
    c.ok('rm', '-f', 's1', 's2');
  });

  it('--format: fields, json (Go’s sorted keys), --no-trunc; a missing container fails', () => {
    const id = c.ok('run', '--network', 'none', '-d', '--name', 's3', 'starter', 'sleep', '600').trim();
    expect(c.ok('stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}} {{.Container}}', 's3')).toBe('s3 1 s3\n');
    const json = JSON.parse(c.ok('stats', '--no-stream', '--format', 'json', 's3'));
    expect(Object.keys(json)).toEqual(['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']);
    expect(json.ID).toBe(id.slice(0, 12));
    expect(c.ok('stats', '--no-stream', '--no-trunc', '--format', '{{.ID}}', 's3')).toBe(`${id}\n`);
    const r = c.strata(['stats', '--no-stream', 'nosuch']);
    expect([r.code, r.stderr]).toEqual([1, 'Error: No such container: nosuch\n']);
    c.ok('rm', '-f', 's3');
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}
