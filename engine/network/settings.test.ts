import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIPv4, formatSubnet } from './ipv4';
import { readNetworkSettings } from './settings';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function withSettings(settings: Record<string, unknown> | null): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-netconf-'));
  roots.push(root);
  if (settings) {
    fs.mkdirSync(path.join(root, 'strata'));
    fs.writeFileSync(path.join(root, 'strata', 'config.json'), JSON.stringify(settings));
  }
  return root;
}

const refusal = (settings: Record<string, unknown>) => {
  try {
    readNetworkSettings(withSettings(settings));
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
};

describe("networking's keys in the settings file", () => {
  it('without a file: a bridge and pools clear of Docker and Podman', () => {
    const n = readNetworkSettings(withSettings(null));
    expect(n.bridge.name).toBe('strata0');
    expect(formatSubnet(n.bridge.subnet)).toBe('10.66.0.0/16');
    expect(formatIPv4(n.bridge.gateway)).toBe('10.66.0.1');
    expect(n.addressPools.map((p) => `${formatSubnet(p.subnet)}:${p.size}`)).toEqual(['10.67.0.0/16:24']);
    expect(n.netavark).toBe('/usr/lib/podman/netavark');
  });

  it("reads daemon.json's bip, bridge and default-address-pools", () => {
    const n = readNetworkSettings(withSettings({ bip: '10.70.1.1/24', bridge: 'br-test', 'default-address-pools': [{ base: '10.71.0.0/16', size: 26 }] }));
    expect(formatSubnet(n.bridge.subnet)).toBe('10.70.1.0/24');
    expect(formatIPv4(n.bridge.gateway)).toBe('10.70.1.1');
    expect(n.bridge.name).toBe('br-test');
    expect(n.addressPools[0].size).toBe(26);
  });

  it('refuses a bad value in one line naming the file and the key', () => {
    expect(refusal({ bip: '10.1.2.0/24' })).toMatch(/strata\/config\.json: bip 10\.1\.2\.0\/24 must be the bridge's address in its subnet/);
    expect(refusal({ bip: 'ten' })).toMatch(/: bip invalid subnet ten/);
    expect(refusal({ bridge: 'this-name-is-too-long' })).toMatch(/: bridge "this-name-is-too-long" is not an interface name/);
    expect(refusal({ 'default-address-pools': [{ base: '10.0.0.0/16', size: 8 }] })).toMatch(/default-address-pools size 8 of 10\.0\.0\.0\/16 must be between 16 and 30/);
    expect(refusal({ 'default-address-pools': '10.0.0.0/8' })).toMatch(/default-address-pools must be a list/);
  });
});
