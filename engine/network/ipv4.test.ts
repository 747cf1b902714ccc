import { describe, expect, it } from 'vitest';
import { formatIPv4, formatSubnet, isHostAddress, overlaps, parseIPv4, parseSubnet, splitPool } from './ipv4';

describe('IPv4 addresses and subnets', () => {
  it('parses and prints', () => {
    expect(formatIPv4(parseIPv4('10.66.255.1'))).toBe('10.66.255.1');
    expect(() => parseIPv4('10.66.256.1')).toThrow('invalid IP address: 10.66.256.1');
    expect(() => parseIPv4('010.1.1.1')).toThrow();
    expect(formatSubnet(parseSubnet('10.62.0.5/24', false))).toBe('10.62.0.0/24');
    expect(() => parseSubnet('10.62.0.5/24')).toThrow(/host bits set/);
    expect(() => parseSubnet('10.62.0.0/33')).toThrow(/not an IPv4 CIDR/);
  });
  it('overlaps, host addresses and pools', () => {
    expect(overlaps(parseSubnet('10.0.0.0/8'), parseSubnet('10.66.1.0/24'))).toBe(true);
    expect(overlaps(parseSubnet('10.66.0.0/24'), parseSubnet('10.66.1.0/24'))).toBe(false);
    const s = parseSubnet('10.66.0.0/24');
    expect([0, 1, 254, 255].map((h) => isHostAddress(s, s.base + h))).toEqual([false, true, true, false]);
    expect([...splitPool(parseSubnet('10.67.0.0/22'), 24)].map(formatSubnet)).toEqual(['10.67.0.0/24', '10.67.1.0/24', '10.67.2.0/24', '10.67.3.0/24']);
  });
});
