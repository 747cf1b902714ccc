// The pieces that read a request before anything reaches the engine: the
// create body's translation and refusals, query values and filters, the
// version prefix, detach keys, times and routes.

import { describe, expect, it } from 'vitest';
import { createOptions } from './containerConfig';
import { DetachScanner, parseDetachKeys } from './detachKeys';
import { ApiError } from './errors';
import { boolParam, labelsMatch, parseFilters } from './query';
import { Router } from './router';
import { parseApiTime } from './times';
import { compareVersions, splitVersion, versionRefusal } from './versions';

describe('the create body', () => {
  it('carries what the engine has over, and leaves Docker defaults out', () => {
    expect(
      createOptions(
        {
          Image: 'starter', Cmd: ['sh'], Entrypoint: null, Env: ['A=1'], Tty: true, OpenStdin: true, StdinOnce: true, WorkingDir: '/w', User: 'nobody',
          Labels: { a: 'b' }, StopSignal: 'SIGUSR1', StopTimeout: 3, Hostname: 'h',
          HostConfig: { Binds: ['/tmp:/t:ro'], AutoRemove: true, NetworkMode: 'default', LogConfig: { Type: 'json-file', Config: {} }, ShmSize: 67108864 },
        },
        'n',
      ),
    ).toEqual({
      image: 'starter', name: 'n', cmd: ['sh'], env: ['A=1'], tty: true, openStdin: true, workingDir: '/w', user: 'nobody', labels: { a: 'b' },
      stopSignal: 'SIGUSR1', stopTimeout: 3, hostname: 'h', binds: ['/tmp:/t:ro'], autoRemove: true,
    });
    // An old client's Cmd as one string; an empty Entrypoint resets the image's.
    expect(createOptions({ Image: 'i', Cmd: 'true', Entrypoint: [] }, null)).toEqual({ image: 'i', cmd: ['true'], entrypoint: [] });
    // What compose sends for a service with a port, a named volume and a network alias.
    expect(
      createOptions(
        {
          Image: 'web', ExposedPorts: { '80/tcp': {} }, Volumes: { '/data': {}, '/cache': {} },
          HostConfig: { NetworkMode: 'p_back', Binds: ['p_data:/data:rw'], PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }, Links: [], VolumesFrom: [] },
          NetworkingConfig: { EndpointsConfig: { p_back: { Aliases: ['web'], IPAMConfig: {} } } },
        },
        'p_web_1',
      ),
    ).toEqual({
      image: 'web', name: 'p_web_1', networkMode: 'p_back', binds: ['p_data:/data:rw', '/cache'], exposedPorts: ['80/tcp'],
      portBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }, networkAliases: ['web'],
    });
    expect(
      createOptions({ Image: 'i', HostConfig: { Mounts: [{ Type: 'volume', Source: 'v', Target: '/v', ReadOnly: true, VolumeOptions: { NoCopy: true } }, { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024 } }] } }, null),
    ).toEqual({ image: 'i', mounts: [{ type: 'volume', source: 'v', target: '/v', readOnly: true, noCopy: true }, { type: 'tmpfs', target: '/t', tmpfsSize: 1024 }] });
    expect(
      createOptions({ Image: 'i', HostConfig: { Privileged: true, Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rw' }, { PathOnHost: '/dev/null' }] } }, null),
    ).toEqual({ image: 'i', privileged: true, devices: ['/dev/fuse:/dev/fuse:rw', '/dev/null:/dev/null:rwm'] });
    // Limits and security options, as `docker run --memory 64m --memory-swap -1 --cpus 0.5 --pids-limit 20 --cap-drop ALL ...` sends them.
    expect(
      createOptions(
        {
          Image: 'i',
          HostConfig: {
            Memory: 67108864, MemorySwap: -1, NanoCpus: 500000000, PidsLimit: 20, CpusetCpus: '0', CpuShares: 0, CapAdd: ['CHOWN'], CapDrop: ['ALL'],
            SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true, GroupAdd: ['10'], Init: true, ShmSize: 1048576, OomKillDisable: false,
            Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }],
          },
        },
        null,
      ),
    ).toEqual({
      image: 'i', memory: 67108864, memorySwap: -1, nanoCpus: 500000000, pidsLimit: 20, cpusetCpus: '0', capAdd: ['CHOWN'], capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'], readOnly: true, groupAdd: ['10'], init: true, shmSize: 1048576, ulimits: [{ name: 'nofile', soft: 100, hard: 200 }],
    });
    // A swappiness of 0 is a setting (never swap); -1 is the kernel's, as the CLI sends when it is not set.
    expect(createOptions({ Image: 'i', HostConfig: { CpuPeriod: 100000, CpuQuota: 50000, CpusetMems: '0', MemorySwappiness: 0 } }, null)).toEqual({
      image: 'i', cpuPeriod: 100000, cpuQuota: 50000, cpusetMems: '0', memorySwappiness: 0,
    });
    expect(createOptions({ Image: 'i', HostConfig: { MemorySwappiness: -1 } }, null)).toEqual({ image: 'i' });
  });

  it('takes the restart policy and the health check (durations in nanoseconds, 0: the default)', () => {
    const body = {
      Image: 'i',
      Healthcheck: { Test: ['CMD-SHELL', 'test -e /tmp/ready'], Interval: 1e9, Timeout: 0, StartPeriod: 2e9, Retries: 2 },
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
    };
    expect(createOptions(body, null)).toEqual({
      image: 'i',
      restartPolicy: { name: 'on-failure', maximumRetryCount: 2 },
      healthcheck: { test: ['CMD-SHELL', 'test -e /tmp/ready'], interval: 1e9, startPeriod: 2e9, retries: 2 },
    });
    expect(createOptions({ Image: 'i', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } }, null)).toEqual({ image: 'i', restartPolicy: { name: 'always' } });
    expect(createOptions({ Image: 'i', Healthcheck: { Test: ['NONE'] } }, null)).toEqual({ image: 'i', healthcheck: { test: ['NONE'] } });
  });

  it('refuses what it cannot honour, naming the field, with 501', () => {
    const refused = (body: object) => {
      try {
        createOptions({ Image: 'i', ...body }, null);
      } catch (err) {
        return [(err as ApiError).status, (err as Error).message];
      }
      return undefined;
    };
    expect(refused({ HostConfig: { CgroupParent: 'mine' } })).toEqual([501, 'Strata does not support HostConfig.CgroupParent ("mine")']);
    expect(refused({ Healthcheck: { Test: ['CMD', 'true'], Interval: '1s' } })).toEqual([400, 'json: cannot unmarshal string into Go struct field HealthConfig.Interval of type int64']);
    expect(refused({ HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: '2' } } })?.[0]).toBe(400);
    // API 1.41 creates a container on one network: an endpoint for another is refused.
    expect(refused({ HostConfig: { NetworkMode: 'front' }, NetworkingConfig: { EndpointsConfig: { back: { Aliases: ['a'] } } } })?.[1]).toBe('Strata does not support NetworkingConfig.EndpointsConfig.back.Aliases (["a"])');
    expect(refused({ HostConfig: { Mounts: [{ Type: 'npipe', Target: '/x' }] } })).toEqual([501, 'Strata does not support mounts of type "npipe"']);
    expect(refused({ HostConfig: { Memory: '1g' } })).toEqual([400, 'json: cannot unmarshal string into Go struct field Memory of type int64']);
    expect(refused({ ExposedPorts: {}, Volumes: {}, HostConfig: { MemorySwappiness: -1, PidsLimit: 0, RestartPolicy: { Name: '' }, IpcMode: 'private' } })).toBeUndefined();
  });

  it('answers an empty config as dockerd does', () => {
    expect(() => createOptions({ HostConfig: {} }, null)).toThrow('Config cannot be empty in order to create a container');
    expect(() => createOptions({ Cmd: ['x'] }, null)).toThrow('Config cannot be empty in order to create a container');
  });
});

describe('query values', () => {
  it("reads booleans as moby does, and filters in both of Docker's forms", () => {
    const q = new URLSearchParams('a=1&b=0&c=false&d=no&e=True&f=');
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => boolParam(q, k))).toEqual([true, false, false, false, true, false, false]);
    expect(parseFilters('{"label":["a=b"],"status":{"running":true,"exited":false}}')).toEqual(new Map([['label', ['a=b']], ['status', ['running']]]));
    expect(() => parseFilters('nope')).toThrow(/invalid filter/);
    expect(labelsMatch({ a: 'b', c: '' }, ['a', 'a=b', 'c'])).toBe(true);
    expect(labelsMatch({ a: 'b' }, ['a=c'])).toBe(false);
    expect(labelsMatch(null, ['a'])).toBe(false);
  });

  it('reads times as unix seconds with a fraction, or RFC 3339', () => {
    expect(parseApiTime('1700000000.5', 0)).toBe(1700000000_500000000);
    expect(parseApiTime('1700000000', 0)).toBe(1700000000_000000000);
    expect(parseApiTime('2023-11-14T22:13:20Z', 0)).toBe(1700000000_000000000);
    expect(() => parseApiTime('soon', 0)).toThrow(/failed to parse/);
  });
});

describe('versions and routes', () => {
  it('splits the version prefix and refuses versions outside 1.24–1.41', () => {
    expect(splitVersion('/v1.41/containers/json')).toEqual({ version: '1.41', path: '/containers/json' });
    expect(splitVersion('/_ping')).toEqual({ version: undefined, path: '/_ping' });
    expect(compareVersions('1.9', '1.24')).toBe(-1);
    expect(versionRefusal('1.24')).toBeUndefined();
    expect(versionRefusal('1.42')).toBe('client version 1.42 is too new. Maximum supported API version is 1.41');
  });

  it('finds routes with image names that carry slashes and a tag', () => {
    const hit = (name: string) => () => name;
    const router = new Router([
      { method: 'GET', pattern: '/images/json', handler: hit('list') },
      { method: 'GET', pattern: '/images/{name*}/json', handler: hit('inspect') },
      { method: 'DELETE', pattern: '/containers/{id}', handler: hit('rm') },
    ]);
    expect(router.find('GET', '/images/json').params).toEqual({});
    expect(router.find('GET', '/images/localhost:5000/a/b:1/json').params).toEqual({ name: 'localhost:5000/a/b:1' });
    expect(router.find('DELETE', '/containers/abc').params).toEqual({ id: 'abc' });
    expect(() => router.find('GET', '/containers/abc')).toThrow('page not found');
  });
});

describe('detach keys', () => {
  it('end the attachment on ctrl-p ctrl-q and pass everything else on, across chunks', () => {
    const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
    expect(s.scan(Buffer.from('ab\x10'))).toEqual({ pass: Buffer.from('ab'), detach: false });
    expect(s.scan(Buffer.from('x'))).toEqual({ pass: Buffer.from('\x10x'), detach: false });
    expect(s.scan(Buffer.from('\x10'))).toEqual({ pass: Buffer.from(''), detach: false });
    expect(s.scan(Buffer.from('\x11rest'))).toEqual({ pass: Buffer.from(''), detach: true });
    expect(parseDetachKeys('ctrl-a,x,ctrl-@,ctrl-[')).toEqual([1, 120, 0, 27]);
    expect(() => parseDetachKeys('ctrl-ä')).toThrow(/Unknown character/);
  });
});
