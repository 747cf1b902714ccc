// Hostile Dockerfiles, generated (fast-check) from Docker's own syntax and
// from nothing: directives, continuations, heredocs, JSON forms, flags,
// unicode and control bytes. The parser returns instructions or one clear
// InvalidArgument, and never takes long: its work stays linear.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { parseDockerfile } from './parser';

const keyword = fc.constantFrom('FROM', 'RUN', 'CMD', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'ENTRYPOINT', 'HEALTHCHECK', 'ONBUILD', 'SHELL', 'STOPSIGNAL', 'MAINTAINER', 'from', 'NOPE');
const word = fc.oneof(fc.constantFrom(...hostileWords), fc.string({ maxLength: 20 }), fc.constantFrom('--from=base', '--chown=1:1', '--mount=type=cache', '<<EOF', '<<-"END"', '["a","b"]', '[', '\\', 'EOF', 'END', '# comment', '# escape=`', '# syntax=x'));
const line = fc.oneof(
  fc.tuple(keyword, fc.array(word, { maxLength: 6 })).map(([k, ws]) => [k, ...ws].join(' ')),
  word,
  fc.constantFrom('', '\\', '`', '# escape=\\', '# escape=`', '#check=skip=all'),
);

it('parses generated Dockerfiles or refuses them in one line', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
      const t0 = performance.now();
      const parsed = refusesCleanly(() => parseDockerfile(lines.join(eol)));
      if (parsed) for (const n of parsed.nodes) expect(n.startLine).toBeLessThanOrEqual(n.endLine);
      expect(performance.now() - t0).toBeLessThan(1000);
    }),
    { numRuns: 1000 },
  );
});

it('takes any text at all', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => void refusesCleanly(() => parseDockerfile(text))), { numRuns: 500 });
});

it('stays linear in long continuations and heredocs', () => {
  const t0 = performance.now();
  refusesCleanly(() => parseDockerfile(`FROM x\nRUN ${'a \\\n'.repeat(20_000)}b\nRUN <<EOF\n${'line\n'.repeat(20_000)}`));
  expect(performance.now() - t0).toBeLessThan(5000);
});

it('reads a continuation to the end of the file as an empty instruction, in the words of dockerd 20.10', () => {
  expect(() => parseDockerfile('\\\n')).toThrow('dockerfile parse error line 1: unknown instruction: ');
  expect(parseDockerfile('FROM bb\n\\\nRUN true\n').nodes.map((n) => n.original)).toEqual(['FROM bb', 'RUN true']);
});
