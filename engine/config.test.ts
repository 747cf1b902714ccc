import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetConfig, readConfig } from './config';
import { networkSection } from './network/settings';
import { formatSubnet } from './network/ipv4';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  forgetConfig();
  return file;
}

describe('the config file', () => {
  it('a missing file or section means the defaults, clear of Docker and Podman', () => {
    const n = readConfig(networkSection, path.join(dir, 'absent.json'));
    expect(n.bridge.name).toBe('strata0');
    expect(formatSubnet(n.bridge.subnet)).toBe('10.66.0.0/16');
    expect(n.addressPools.map((p) => `${formatSubnet(p.subnet)}:${p.size}`)).toEqual(['10.67.0.0/16:24']);
    expect(readConfig(networkSection, write('other.json', '{"registries": {}}')).bridge.name).toBe('strata0');
  });

  it('reads the network section, the gateway defaulting to the first address', () => {
    const file = write('net.json', JSON.stringify({ network: { bridge: { name: 'br-test', subnet: '10.70.1.0/24' }, addressPools: [{ base: '10.71.0.0/16', size: 26 }] } }));
    const n = readConfig(networkSection, file);
    expect(n.bridge).toMatchObject({ name: 'br-test', gateway: (10 << 24 | 70 << 16 | 1 << 8 | 1) >>> 0 });
    expect(n.addressPools[0].size).toBe(26);
  });

  it('says which file and field is wrong, in one line', () => {
    const bad = (text: string) => {
      try {
        readConfig(networkSection, write('bad.json', text));
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(bad('{"network": {"bridge": {"subnet": "10.1.2.3/24"}}}')).toMatch(/bad\.json: invalid "network" section: invalid subnet 10\.1\.2\.3\/24: it has host bits set/);
    expect(bad('{"network": {"bridge": {"name": "this-name-is-too-long"}}}')).toMatch(/invalid bridge name/);
    expect(bad('{"network": {"addressPools": [{"base": "10.0.0.0/16", "size": 8}]}}')).toMatch(/size 8 must be between 16 and 30/);
    expect(bad('{"network": {"bridge": {"gateway": "10.67.0.1"}}}')).toMatch(/not a host address of the bridge subnet/);
    expect(bad('{"network": {"colour": "blue"}}')).toMatch(/colour: unknown field/);
    expect(bad('{not json')).toMatch(/bad\.json: not valid JSON/);
    expect(bad('[1]')).toMatch(/must hold one JSON object/);
  });
});
