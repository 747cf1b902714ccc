import { describe, expect, it } from 'vitest';
import { planBuild } from './instructions';
import { parseDockerfile } from './parser';

const plan = (text: string) => planBuild(parseDockerfile(text));

describe('planBuild', () => {
  it('groups stages, keeps meta ARGs, lower-cases stage names', () => {
    const p = plan('ARG BASE=x\nFROM $BASE AS Build\nRUN a\nFROM scratch\nCOPY --from=build /a /b\n');
    expect(p.metaArgs.map((a) => a.args)).toEqual([[{ name: 'BASE', value: 'x' }]]);
    expect(p.stages.map((s) => [s.name, s.from.image, s.commands.map((c) => c.kind)])).toEqual([
      ['build', '$BASE', ['RUN']],
      [undefined, 'scratch', ['COPY']],
    ]);
  });

  it('reads each instruction form', () => {
    const [stage] = plan(
      [
        'FROM x',
        'RUN ["a", "b c"]',
        'CMD echo hi',
        'EXPOSE 80 53/udp $P',
        'VOLUME ["/a", "/b"]',
        'VOLUME /c /d',
        'COPY --from=s --chown=1:2 a b /dst/',
        'ARG A B=2',
        'ENV K V W',
        'ONBUILD RUN echo x',
        'HEALTHCHECK --interval=5s --retries=3 CMD true',
        'SHELL ["/bin/bash", "-c"]',
      ].join('\n'),
    ).stages;
    const byKind = Object.fromEntries(stage.commands.map((c) => [`${c.kind}:${c.node.startLine}`, c]));
    expect(byKind['RUN:2']).toMatchObject({ form: { json: true, args: ['a', 'b c'] } });
    expect(byKind['CMD:3']).toMatchObject({ form: { json: false, command: 'echo hi' } });
    expect(byKind['EXPOSE:4']).toMatchObject({ items: ['$P', '53/udp', '80'] }); // sorted as Docker does
    expect(byKind['VOLUME:5']).toMatchObject({ items: ['/a', '/b'] });
    expect(byKind['VOLUME:6']).toMatchObject({ items: ['/c', '/d'] });
    expect(byKind['COPY:7']).toMatchObject({ sources: ['a', 'b'], dest: '/dst/', from: 's', chown: '1:2' });
    expect(byKind['ARG:8']).toMatchObject({ args: [{ name: 'A' }, { name: 'B', value: '2' }] });
    expect(byKind['ENV:9']).toMatchObject({ pairs: [['K', 'V W']] });
    expect(byKind['ONBUILD:10']).toMatchObject({ trigger: 'RUN echo x' });
    expect(byKind['HEALTHCHECK:11']).toMatchObject({ health: { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 3 } });
    expect(byKind['SHELL:12']).toMatchObject({ shell: ['/bin/bash', '-c'] });
  });

  it.each([
    ['FROM x\nRUN true\nFOO bar\n', 'dockerfile parse error line 3: unknown instruction: FOO'],
    ['RUN true\n', 'no build stage in current context'],
    ['ENV A=1\nFROM x\n', 'no build stage in current context'],
    ['FROM x\nCOPY f\n', 'dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined'],
    ['FROM x\nENV\n', 'dockerfile parse error line 2: ENV requires at least one argument'],
    ['FROM x\nCOPY --bogus=1 f /f\n', 'dockerfile parse error line 2: Unknown flag: bogus'],
    ['FROM x\nCOPY --from=a --from=b f /f\n', 'dockerfile parse error line 2: Duplicate flag specified: from'],
    ['FROM x\nCOPY --from f /f\n', 'dockerfile parse error line 2: Missing a value on flag: from'],
    ['FROM x\nCMD ["a", 1]\n', 'failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only'],
    ['FROM x y\n', 'dockerfile parse error line 1: FROM requires either one or three arguments'],
    ['FROM x AS 1st\n', 'dockerfile parse error line 1: invalid name for build stage: "1st", name can\'t start with a number or contain symbols'],
    ['FROM x AS a\nFROM y AS A\n', 'dockerfile parse error line 2: duplicate stage name "a"'],
    ['FROM x\nSHELL /bin/sh -c\n', 'dockerfile parse error line 2: SHELL requires the arguments to be in JSON form'],
    ['FROM x\nONBUILD FROM y\n', "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger"],
    ['FROM x\nWORKDIR\n', 'dockerfile parse error line 2: WORKDIR requires exactly one argument'],
    ['FROM x\nARG =1\n', 'dockerfile parse error line 2: ARG names can not be blank'],
  ])('refuses %j', (text, message) => {
    expect(() => plan(text)).toThrow(message);
  });
});
