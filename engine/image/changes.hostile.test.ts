// Hostile --change instructions (commit -c, import -c), generated
// (fast-check): a change is refused in one line or applied.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { applyChanges } from './changes';

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
