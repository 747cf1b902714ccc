import { describe, expect, it } from 'vitest';
import type { ContainerPort } from '../../api';
import { displayablePorts } from './containers';

const published = (ip: string, publicPort: number, privatePort: number, type: 'tcp' | 'udp' = 'tcp'): ContainerPort => ({ ip, publicPort, privatePort, type });
const exposed = (privatePort: number, type: 'tcp' | 'udp' = 'tcp'): ContainerPort => ({ privatePort, type });

// Each expected line is what `docker ps --format '{{.Ports}}'` (docker CLI 28) printed here for the same ports.
describe("ps PORTS, as docker's CLI prints it", () => {
  it('mappings to other numbers one by one, after exposed ports', () => {
    const ports = [exposed(53, 'udp'), published('127.0.0.1', 18080, 80), published('0.0.0.0', 18081, 81, 'udp'), published('0.0.0.0', 18090, 90), published('0.0.0.0', 18091, 91)];
    expect(displayablePorts(ports)).toBe('53/udp, 127.0.0.1:18080->80/tcp, 0.0.0.0:18081->81/udp, 0.0.0.0:18090->90/tcp, 0.0.0.0:18091->91/tcp');
  });
  it('runs of exposed ports and of ports published on their own numbers', () => {
    const ports = [exposed(80), exposed(53, 'udp'), exposed(7000), exposed(7001), exposed(7002), published('0.0.0.0', 18100, 18100), published('0.0.0.0', 18101, 18101), published('0.0.0.0', 18102, 18102), published('127.0.0.1', 18110, 18110, 'udp')];
    expect(displayablePorts(ports)).toBe('80/tcp, 53/udp, 7000-7002/tcp, 0.0.0.0:18100-18102->18100-18102/tcp, 127.0.0.1:18110->18110/udp');
  });
  it('-P: each exposed port on its own host port', () => {
    expect(displayablePorts([published('0.0.0.0', 32768, 53, 'udp'), published('0.0.0.0', 32768, 80)])).toBe('0.0.0.0:32768->53/udp, 0.0.0.0:32768->80/tcp');
  });
  it('nothing for a container without ports', () => {
    expect(displayablePorts([])).toBe('');
  });
});
