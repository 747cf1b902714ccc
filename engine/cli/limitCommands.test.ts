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

describe('update', () => {
  it('prints each container as named, then the warnings; fails together at the end', () => {
    c.ok('run', '--network', 'none', '-d', '--name', 'u1', '-m', '64m', 'starter', 'sleep', '600');
    expect(c.ok('update', '-m', '100m', '--memory-swap', '200m', '--pids-limit', '10', 'u1')).toBe('u1\n');
    expect(c.ok('inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}}', 'u1')).toBe('104857600 209715200 10\n');
    const r = c.strata(['update', '--pids-limit', '20', 'nosuch', 'u1']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, 'u1\n', 'Error: No such container: nosuch\n']);
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
