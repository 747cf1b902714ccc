// Hostile -v, --mount and --tmpfs values, generated (fast-check): each is
// refused in one line, or gives a mount whose destination is an absolute,
// clean path in the container (no "..", never "/") and whose bind source is
// an absolute, clean host path.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { parseMountFlag, parseTmpfsFlag, parseVolumeFlag } from './mountSpec';

const piece = fc.constantFrom(...hostileWords, '/', '/a', '/a/../..', 'vol', 'ro', 'rw', 'z', 'Z', 'nocopy', 'rprivate', 'ro,nocopy', ':', ',', '=', '"');
const spec = (sep: string) =>
  fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(sep)));
const field = fc.oneof(
  fc.constantFrom('type=bind', 'type=volume', 'type=tmpfs', 'type=x', 'readonly', 'ro=false', 'bind-propagation=rshared', 'volume-nocopy', 'tmpfs-mode=1777', 'tmpfs-size=1k'),
  fc.tuple(fc.constantFrom('src', 'source', 'dst', 'target', 'destination', 'volume-opt', 'volume-driver', 'tmpfs-size', 'tmpfs-mode', '"dst'), piece).map(([k, v]) => `${k}=${v}`),
  piece,
);
const clean = (p: string) => p.startsWith('/') && !p.split('/').includes('..') && !p.split('/').includes('.');

describe('a -v value', () => {
  it('is refused in one line, or mounts at a clean absolute path', () => {
    fc.assert(
      fc.property(spec(':'), (value) => {
        const v = refusesCleanly(() => parseVolumeFlag(value));
        if (!v) return;
        expect(clean(v.destination) && v.destination !== '/').toBe(true);
        if (v.type === 'bind') expect(clean(v.source)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a --mount value', () => {
  it('is refused in one line, or names a target', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 5 }), (fields) => {
        const m = refusesCleanly(() => parseMountFlag(fields.join(',')));
        if (m) expect(m.target).not.toBe('');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a --tmpfs value', () => {
  it('is refused in one line, or mounts at an absolute path', () => {
    fc.assert(
      fc.property(spec(':'), (value) => {
        const t = refusesCleanly(() => parseTmpfsFlag(value));
        if (t) expect(t[0].startsWith('/')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
