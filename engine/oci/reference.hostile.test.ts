// Hostile image references, generated (fast-check): a reference is refused
// in one line or names no path that climbs (it becomes part of file and
// registry paths), and shows again as a reference that parses.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { familiarString, parseReference } from './reference';

const piece = fc.constantFrom(...hostileWords.slice(0, 30), 'busybox', 'library', 'localhost:5000', '127.0.0.1:5000', '[::1]:80', 'a', 'A', '_', '__', '-', '.', ':', '@', 'latest', 'sha256:' + 'a'.repeat(64), 'a' + '-'.repeat(3000) + '!');
const reference = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join('')),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('/')),
);

describe('an image reference', () => {
  it('is refused in one line, or names no climbing path and shows as a reference that parses again', () => {
    fc.assert(
      fc.property(reference, (text) => {
        const ref = refusesCleanly(() => parseReference(text));
        if (!ref) return;
        expect(ref.path.split('/')).not.toContain('..');
        expect(ref.path.startsWith('/')).toBe(false);
        expect(parseReference(familiarString(ref))).toEqual(ref);
      }),
      { numRuns: 3000 },
    );
  });
});
