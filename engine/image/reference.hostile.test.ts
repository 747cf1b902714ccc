// Hostile image references and --change instructions (commit -c, import -c),
// generated (fast-check): a reference is refused in one line or names no path
// that climbs (it becomes part of file and registry paths), and shows again as
// a reference that parses; a change is refused in one line or applied.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { applyChanges } from './changes';
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

describe('a --change instruction', () => {
  const keyword = fc.constantFrom('CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'HEALTHCHECK', 'RUN', 'FROM', 'cmd', '');
  const rest = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...hostileWords, '["a",', '[]', '["sh","-c"]', 'A=1 B', '80/tcp 1-3/udp', '70000', 'CMD true', '--interval=1s CMD true', 'NONE', '--retries=-1 CMD x'),
  );
  it('is refused in one line, or applied', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyword, rest), { maxLength: 4 }), (changes) => {
        refusesCleanly(() => applyChanges({}, changes.map(([k, r]) => `${k} ${r}`)));
      }),
      { numRuns: 2000 },
    );
  });
});
