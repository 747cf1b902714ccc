import { describe, expect, it } from 'vitest';
import type { NetworkEndpoint, NetworkSummary } from '../../../engine/api';
import { layoutNetworkMap, mapSizes, networkOrder, portLabel } from './networkMap';

const net = (name: string, over: Partial<NetworkSummary> = {}): NetworkSummary => ({
  id: `${name}-id`,
  name,
  driver: name === 'host' ? 'host' : name === 'none' ? 'null' : 'bridge',
  created: 0,
  bridge: name === 'bridge' ? 'strata0' : '',
  subnet: '',
  gateway: '',
  internal: false,
  dns: name !== 'bridge',
  predefined: ['bridge', 'host', 'none'].includes(name),
  labels: {},
  options: {},
  endpoints: [],
  stopped: [],
  ...over,
});

const endpoint = (name: string, ip: string, ports: NetworkEndpoint['ports'] = []): NetworkEndpoint => ({
  containerId: `${name}-cid`,
  containerName: name,
  ip,
  prefixLength: 24,
  mac: '',
  interface: 'eth0',
  aliases: [],
  ports,
});

describe('the networks picture', () => {
  it('orders the default bridge, user networks by name, then host and none', () => {
    const names = [net('none'), net('zeta'), net('host'), net('bridge'), net('alpha')].sort(networkOrder).map((n) => n.name);
    expect(names).toEqual(['bridge', 'alpha', 'zeta', 'host', 'none']);
  });

  it('puts each container inside every network it is on, and each published port above the container it leads to', () => {
    const web = endpoint('web', '10.66.0.2', [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
    const map = layoutNetworkMap(
      [net('bridge', { endpoints: [web] }), net('back', { endpoints: [{ ...web, ip: '10.67.0.2', interface: 'eth1', ports: [] }], stopped: [{ containerId: 'later-cid', containerName: 'later' }] })],
      1200,
    );
    const [bridge, back] = map.groups;
    expect(bridge.nodes.map((n) => n.name)).toEqual(['web']);
    expect(back.nodes.map((n) => [n.name, n.endpoint?.ip])).toEqual([['web', '10.67.0.2'], ['later', undefined]]);
    for (const g of map.groups) for (const n of g.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(g.x);
      expect(n.x + n.w).toBeLessThanOrEqual(g.x + g.w);
      expect(n.y + n.h).toBeLessThanOrEqual(g.y + g.h);
    }
    expect(map.arrows).toHaveLength(1);
    const [a] = map.arrows;
    expect(a.label).toBe(portLabel(web.ports[0]));
    expect(a.label).toBe('127.0.0.1:8080 → 80/tcp');
    expect(a.y1).toBe(map.host.y + map.host.h);
    expect(a.y2).toBe(bridge.nodes[0].y);
    expect(a.x2).toBeGreaterThan(bridge.nodes[0].x);
    expect(a.x2).toBeLessThan(bridge.nodes[0].x + mapSizes.nodeW);
  });

  it('wraps groups that do not fit the width onto the next row', () => {
    const many = Array.from({ length: 4 }, (_, i) => net(`n${i}`, { endpoints: [endpoint('a', '1.1.1.1'), endpoint('b', '1.1.1.2'), endpoint('c', '1.1.1.3')] }));
    const map = layoutNetworkMap(many, 900);
    expect(new Set(map.groups.map((g) => g.y)).size).toBe(4);
    for (const g of map.groups) expect(g.x + g.w).toBeLessThanOrEqual(map.width);
  });
});
