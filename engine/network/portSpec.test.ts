import { describe, expect, it } from 'vitest';
import { parseExpose, parsePublish, parsePublishList } from './portSpec';

// Expected values are what docker's CLI (go-connections nat.ParsePortSpec) makes of the same -p.
describe('-p as docker reads it', () => {
  it('ports, addresses, protocols and ranges', () => {
    expect(parsePublish('80')).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '' }] });
    expect(parsePublish('8080:80')).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
    expect(parsePublish('127.0.0.1:8080:80/udp')).toEqual({ '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
    expect(parsePublish('127.0.0.1::80')).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(parsePublish('8000-8001:80-81/TCP')).toEqual({
      '80/tcp': [{ HostIp: '', HostPort: '8000' }],
      '81/tcp': [{ HostIp: '', HostPort: '8001' }],
    });
    // A host range for one container port: any free port in it.
    expect(parsePublish('8000-8010:80')).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] });
    expect(parsePublishList(['80', '8080:80'])).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '' }, { HostIp: '', HostPort: '8080' }] });
  });

  it("refuses what docker refuses, with docker's words", () => {
    const error = (spec: string) => {
      try {
        parsePublish(spec);
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error('8080:http')).toBe('invalid containerPort: http');
    expect(error('x:80')).toBe('invalid hostPort: x');
    expect(error('80/icmp')).toBe('invalid proto: icmp');
    expect(error('1.2.3:80:80')).toBe('invalid IP address: 1.2.3');
    expect(error('8000-8002:80-81')).toBe('invalid ranges specified for container and host Ports: 80-81 and 8000-8002');
    expect(error('70000')).toBe('invalid containerPort: 70000');
    expect(error('8080:')).toBe('no port specified: 8080:<empty>');
    expect(error('[::1]:80:80')).toMatch(/IPv4 addresses only/);
  });

  it('--expose', () => {
    expect(parseExpose('80')).toEqual(['80/tcp']);
    expect(parseExpose('7000-7002/udp')).toEqual(['7000/udp', '7001/udp', '7002/udp']);
    expect(() => parseExpose('x')).toThrow(/invalid range format for --expose/);
  });
});
