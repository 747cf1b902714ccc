// Hostile -p and --expose values, generated (fast-check): each is refused in
// one line, or publishes ports between 1 and 65535 (a host port may be a
// range or empty: any free one) on an IPv4 address or all of them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { parseExpose, parsePublish, splitPortKey } from './portSpec';

const piece = fc.constantFrom(...hostileWords, '80', '0', '65535', '65536', '1-3', '3-1', '1-65535', '127.0.0.1', '0.0.0.0', '[::1]', '::', 'tcp', 'udp', 'sctp', '/', ':');
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(':')),
  fc.tuple(fc.array(piece, { minLength: 1, maxLength: 3 }), piece).map(([ps, proto]) => `${ps.join(':')}/${proto}`),
);
const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

describe('a -p value', () => {
  it('is refused in one line, or publishes ports in range', () => {
    fc.assert(
      fc.property(value, (text) => {
        const bindings = Object.entries(refusesCleanly(() => parsePublish(text)) ?? {});
        // A host port, a range to pick one from (`8000-9000:80`), or any free one.
        const hostPort = (p: string) => p === '' || p.split('-').every((n) => /^\d+$/.test(n) && Number(n) <= 65535);
        const hostIp = (ip: string) => ip === '' || /^\d+\.\d+\.\d+\.\d+$/.test(ip);
        const wrong = bindings.find(([key, list]) => !inRange(splitPortKey(key)[0]) || !list.every((b) => hostPort(b.HostPort) && hostIp(b.HostIp)));
        expect(wrong).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('an --expose value', () => {
  it('is refused in one line, or exposes ports in range', () => {
    fc.assert(
      fc.property(value, (text) => {
        const keys = refusesCleanly(() => parseExpose(text)) ?? [];
        expect(keys.find((key) => !inRange(splitPortKey(key)[0]))).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
