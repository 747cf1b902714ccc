// The network, volume and port commands end to end, as a user types them:
// bin/strata against a fresh engine root, on this test process's own bridge
// and subnets. Expected texts are what docker's CLI (28) printed here for the
// same commands against dockerd 20.10.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naturalLess } from './commands/port';

const strataBin = path.resolve(__dirname, '../../bin/strata');
let root: string;

function strata(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(strataBin, args, { env: { ...process.env, STRATA_ROOT: root }, input, timeout: 30_000, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = strata(args);
  expect(r.stderr, `strata ${args.join(' ')}`).toBe('');
  expect(r.code, `strata ${args.join(' ')}`).toBe(0);
  return r.stdout;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-net-'));
  ok('bootstrap');
});
afterAll(() => {
  const ids = strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) strata(['rm', '-f', '-v', ...ids]);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('network', () => {
  it('create, ls, inspect, rm, prune with docker\'s output and errors', () => {
    const id = ok('network', 'create', '--label', 'team=strata', '-o', 'com.docker.network.driver.mtu=1400', 'web').trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ls = ok('network', 'ls').split('\n');
    expect(ls[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    expect(ls.slice(1, -1).map((l) => l.split(/\s+/).slice(1).join(' '))).toEqual(['bridge bridge local', 'host host local', 'none null local', 'web bridge local']);
    expect(ok('network', 'ls', '-q', '--no-trunc')).toContain(`${id}\n`);
    expect(ok('network', 'inspect', '-f', '{{.Name}} {{.Driver}} {{json .Labels}} {{json .Options}} {{.Internal}}', 'web')).toBe(
      'web bridge {"team":"strata"} {"com.docker.network.driver.mtu":"1400"} false\n',
    );
    const [inspected] = JSON.parse(ok('network', 'inspect', id.slice(0, 5)));
    expect(Object.keys(inspected)).toEqual(['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);
    expect(strata(['network', 'create', 'web'])).toMatchObject({ code: 1, stderr: 'Error: network with name web already exists\n' });
    expect(strata(['network', 'rm', 'bridge', 'web', 'nope'])).toEqual({
      code: 1,
      stdout: 'web\n',
      stderr: 'Error: bridge is a pre-defined network and cannot be removed\nError: network nope not found\n',
    });
    ok('network', 'create', 'spare');
    expect(strata(['network', 'prune'], 'n\n').stdout).toBe('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ');
    // docker 20.10 prints the list with Println: a blank line ends it.
    expect(ok('network', 'prune', '-f')).toBe('Deleted Networks:\nspare\n\n');
  });
});

describe('ports', () => {
  it('ps PORTS and port print what docker prints', () => {
    ok('run', '-d', '--name', 'web', '--expose', '53/udp', '-p', '127.0.0.1:18580:80', '-p', '18581-18582:91-92', '-p', '18590-18591:18590-18591', 'starter', 'sleep', '600');
    expect(ok('ps', '--format', '{{.Ports}}')).toBe(
      '53/udp, 0.0.0.0:18590-18591->18590-18591/tcp, 127.0.0.1:18580->80/tcp, 0.0.0.0:18581->91/tcp, 0.0.0.0:18582->92/tcp\n',
    );
    expect(ok('port', 'web')).toBe('80/tcp -> 127.0.0.1:18580\n91/tcp -> 0.0.0.0:18581\n92/tcp -> 0.0.0.0:18582\n18590/tcp -> 0.0.0.0:18590\n18591/tcp -> 0.0.0.0:18591\n');
    expect(ok('port', 'web', '91')).toBe('0.0.0.0:18581\n');
    expect(strata(['port', 'web', '53/udp'])).toMatchObject({ code: 1, stderr: "Error: No public port '53/udp' published for web\n" });
    const bad = strata(['run', '-p', '8080:http', 'starter', 'true']);
    expect(bad).toMatchObject({ code: 125, stderr: 'Error: invalid containerPort: http\n' });
    ok('stop', '-t', '0', 'web');
    expect(ok('ps', '-a', '--format', '{{.Names}} [{{.Ports}}]')).toContain('web []\n');
  });
});

describe('volume', () => {
  it('create, ls, inspect, rm and prune with docker\'s output; rm -v; system df', () => {
    expect(ok('volume', 'create', '--label', 'a=b', 'data')).toBe('data\n');
    const anonymous = ok('volume', 'create').trim();
    expect(anonymous).toMatch(/^[0-9a-f]{64}$/);
    const names = [anonymous, 'data'].sort(naturalLess);
    expect(ok('volume', 'ls')).toBe(`DRIVER    VOLUME NAME\n${names.map((n) => `local     ${n}\n`).join('')}`);
    expect(ok('volume', 'inspect', '-f', '{{.Driver}} {{.Mountpoint}} {{json .Labels}} {{.Scope}}', 'data')).toBe(`local ${root}/volumes/data/_data {"a":"b"} local\n`);
    ok('run', '--name', 'user', '-v', 'data:/data', 'starter', 'sh', '-c', 'echo hi > /data/f');
    expect(strata(['volume', 'rm', 'data'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error: remove data: volume is in use - \[[0-9a-f]{64}\]\n$/) });
    const df = ok('system', 'df').split('\n');
    expect(df[3]).toMatch(/^Local Volumes\s+2\s+1\s+3B\s+0B \(0%\)$/);
    ok('rm', 'user');
    // A volume made by `volume create` is named (a generated name), not anonymous: only --all prunes it.
    expect(ok('volume', 'prune', '-f')).toBe('Total reclaimed space: 0B\n');
    ok('run', '--name', 'anon', '-v', '/scratch', 'starter', 'true');
    ok('rm', 'anon');
    const left = ok('volume', 'ls', '-q').split('\n').filter((n) => n && n !== anonymous && n !== 'data');
    expect(left).toHaveLength(1);
    expect(ok('volume', 'prune', '-f')).toBe(`Deleted Volumes:\n${left[0]}\n\nTotal reclaimed space: 0B\n`);
    const all = ok('volume', 'prune', '-f', '--all');
    expect(all.split('\n').slice(1, 3).sort()).toEqual([anonymous, 'data'].sort());
    expect(all).toMatch(/\n\nTotal reclaimed space: 3B\n$/);
    ok('run', '--name', 'anon', '-v', '/scratch', 'starter', 'true');
    expect(ok('volume', 'ls', '-q').split('\n').filter(Boolean)).toHaveLength(1);
    expect(ok('rm', '-v', 'anon')).toBe('anon\n');
    expect(ok('volume', 'ls', '-q')).toBe('');
    expect(strata(['volume', 'rm', 'nope'])).toMatchObject({ code: 1, stderr: 'Error: get nope: no such volume\n' });
    expect(ok('system', 'check')).toBe('No problems found.\n');
  });
});
