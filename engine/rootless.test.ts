// Rootless mode's rules that need no user: which mode the id maps say, where
// the store goes, what pasta is asked to forward. (engine/cli/rootless.test.ts
// runs the real thing as an unprivileged user.)

import { describe, expect, it } from 'vitest';
import { forwardOptions } from './network/pasta';
import { defaultRoots, modeFromIdMaps, singleIdWarning } from './rootless';
import type { ContainerRow } from './store/containers';

const hostMap = '         0          0 4294967295\n';
const userMap = '         0       1001          1\n         1     100000      65536\n';

describe('the mode', () => {
  it('is root on the host\'s own id map and rootless in a user\'s namespace, with the host ids that are root there', () => {
    expect(modeFromIdMaps(hostMap, hostMap)).toMatchObject({ rootless: false, hostUid: 0 });
    expect(modeFromIdMaps(userMap, userMap.replace('1001', '1002'))).toEqual({ rootless: true, hostUid: 1001, hostGid: 1002, mappedIds: 65537 });
  });

  it('warns only when a single id is mapped', () => {
    expect(singleIdWarning(modeFromIdMaps(userMap, userMap))).toBeUndefined();
    expect(singleIdWarning(modeFromIdMaps('0 1001 1\n', '0 1001 1\n'))).toMatch(/^no subordinate ids for this user in \/etc\/subuid and \/etc\/subgid/);
  });
});

describe('the engine root', () => {
  const rootless = modeFromIdMaps(userMap, userMap);
  it('is /var/lib/strata for root, the XDG dirs for a user, and STRATA_ROOT wins in both', () => {
    expect(defaultRoots({}, modeFromIdMaps(hostMap, hostMap))).toEqual({ root: '/var/lib/strata' });
    expect(defaultRoots({ HOME: '/home/ann' }, rootless)).toEqual({ root: '/home/ann/.local/share/strata', runRoot: '/tmp/strata-1001' });
    expect(defaultRoots({ HOME: '/home/ann', XDG_DATA_HOME: '/data', XDG_RUNTIME_DIR: '/run/user/1001' }, rootless)).toEqual({ root: '/data/strata', runRoot: '/run/user/1001/strata' });
    expect(defaultRoots({ HOME: '/home/ann', XDG_DATA_HOME: 'relative' }, rootless).root).toBe('/home/ann/.local/share/strata');
    expect(defaultRoots({ STRATA_ROOT: '/srv/s', HOME: '/home/ann' }, rootless)).toEqual({ root: '/srv/s' });
    expect(() => defaultRoots({}, rootless)).toThrow(/neither HOME nor XDG_DATA_HOME is set/);
  });
});

describe("pasta's port forwarding", () => {
  const row = (HostConfig: Partial<ContainerRow['spec']['HostConfig']>) => ({ spec: { HostConfig } }) as unknown as Pick<ContainerRow, 'spec'>;
  it('forwards each published port from an explicit address, and nothing else', () => {
    expect(forwardOptions(row({ PortBindings: {} }))).toEqual(['-t', 'none', '-u', 'none']);
    expect(
      forwardOptions(row({ PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] } })),
    ).toEqual(['-t', '127.0.0.1/8080:80', '-t', '0.0.0.0/8081:80', '-u', '127.0.0.1/5353:53']);
  });

  it('refuses a published port without a host port, and -P', () => {
    expect(() => forwardOptions(row({ PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } }))).toThrow(/explicit host port: -p HOSTPORT:80/);
    expect(() => forwardOptions(row({ PublishAllPorts: true, PortBindings: {} }))).toThrow(/instead of -P/);
  });
});
