// Hostile command lines (fast-check): `run`'s flags in any order with any
// values (-e, -v, -p, --mount, --tmpfs, -c, the limits, the health and restart
// flags...), --format templates over any data, env files. Each is refused in
// one line the way the CLI refuses, or gives options the contract accepts;
// nothing throws a TypeError or runs away.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateOptionsSchema } from '../api';
import { hostileWords, refusesCleanly } from '../testing/hostile';
import { containerFlags, createOptions } from './commands/create';
import { parseEnvFile } from './envfile';
import { parseFlags } from './flags';
import { Cli } from './session';
import { parseTemplate } from './template';

/** Values a user might give a flag, well-formed or nearly. */
const flagValues = [
  ...hostileWords,
  'A=b', 'A', '=b', '8080:80', '127.0.0.1:8080:80/udp', '1-3:1-3', '80/sctp', '[::1]:80:80', '/a:/b:ro', 'vol:/data', '/:/', 'a:b:c:d',
  'type=bind,src=/x,dst=/y', 'type=volume,target=/v,volume-opt=a=b', 'type=tmpfs,dst=/t,tmpfs-size=1m', 'dst=/y,"src=/x', '/run:size=1m,mode=1777',
  '512m', '1g', '0.5', '1e3', '9223372036854775807', 'on-failure:3', 'on-failure:-1', 'always', 'unless-stopped', '1s', '-1s', '1h2m',
  'CMD-SHELL', 'nofile=1:2', 'seccomp=unconfined', 'no-new-privileges', 'ALL', 'host', 'none', 'container:x',
];

const flagNames = containerFlags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
const word = fc.oneof(fc.constantFrom(...flagValues), fc.string({ unit: 'binary', maxLength: 30 }));
const argv = fc.array(
  fc.oneof(
    fc.tuple(fc.constantFrom(...flagNames), word).map(([flag, value]) => [flag, value]),
    fc.tuple(fc.constantFrom(...flagNames), word).map(([flag, value]) => [`${flag}=${value}`]),
    word.map((w) => [w]),
  ),
  { maxLength: 8 },
);

// No env of the host: -e NAME takes its value from here, and --env-file reads files.
const cli = new Cli(process.stdout, process.stderr, process.stdin, {});

describe('run and create flags', () => {
  it('are refused in one line or give options the contract accepts', () => {
    fc.assert(
      fc.property(argv, (pieces) => {
        refusesCleanly(() => {
          const { flags, args } = parseFlags(containerFlags, pieces.flat());
          if (args.length === 0) return;
          CreateOptionsSchema.parse(createOptions(cli, flags, args), '');
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a --format template', () => {
  const template = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(fc.constantFrom(...hostileWords, '{{', '}}', '.Names', ' ', 'json', 'table ', '\\t', '{{.ID}}', '{{json .State}}', '{{.A.B.C}}'), { maxLength: 8 }).map((ws) => ws.join('')),
  );
  it('is refused in one line, or renders any data to a string', () => {
    fc.assert(
      fc.property(template, fc.jsonValue(), (format, data) => {
        const t = refusesCleanly(() => parseTemplate(format));
        if (t) expect(typeof t.render(data)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('an env file', () => {
  it('gives NAME=VALUE entries, or is refused in one line', () => {
    const line = fc.oneof(fc.constantFrom(...hostileWords, '# comment', 'A=1', 'A', ' =x', 'export A=1'), fc.string({ unit: 'binary', maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const env = refusesCleanly(() => parseEnvFile(lines.join('\n'), {}));
        for (const entry of env ?? []) expect(entry.split('=')[0]).not.toBe('');
      }),
      { numRuns: 1000 },
    );
  });
});
