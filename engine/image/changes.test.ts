// Expected values are what Docker 20.10 made of the same `docker import -c ...`
// on this machine (docker image inspect --format '{{json .Config}}').

import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../duration';
import { applyChanges } from './changes';
import type { RunConfig } from '../oci/config';

const apply = (...changes: string[]) => applyChanges({}, changes);

describe('applyChanges', () => {
  it('CMD and ENTRYPOINT in exec and shell form', () => {
    expect(apply('CMD ["a", "b"]')).toEqual({ Cmd: ['a', 'b'] });
    expect(apply('cmd [ "a" ]')).toEqual({ Cmd: ['a'] });
    expect(apply('CMD echo "hi there"  $HOME')).toEqual({ Cmd: ['/bin/sh', '-c', 'echo "hi there"  $HOME'] });
    expect(apply('CMD [ "a" , bad')).toEqual({ Cmd: ['/bin/sh', '-c', '[ "a" , bad'] });
    expect(apply('CMD')).toEqual({ Cmd: ['/bin/sh', '-c'] });
    expect(apply('CMD []')).toEqual({ Cmd: [] });
    expect(apply('ENTRYPOINT ""')).toEqual({ Entrypoint: ['/bin/sh', '-c', '""'] });
    expect(apply('ENTRYPOINT []')).toEqual({});
    expect(apply('CMD echo 1\nCMD echo 2')).toEqual({ Cmd: ['/bin/sh', '-c', 'echo 2'] });
    expect(() => apply('CMD ["a", 1]')).toThrow('when using JSON array syntax, arrays must be comprised of strings only');
  });

  it('ENTRYPOINT drops an inherited CMD but keeps one set by the same changes', () => {
    const base: RunConfig = { Cmd: ['old'] };
    expect(applyChanges(base, ['ENTRYPOINT ["e"]'])).toEqual({ Entrypoint: ['e'] });
    expect(applyChanges(base, ['CMD ["x"]', 'ENTRYPOINT ["e"]'])).toEqual({ Entrypoint: ['e'], Cmd: ['x'] });
    expect(applyChanges(base, ['ENTRYPOINT ["e"]', 'CMD ["x"]'])).toEqual({ Entrypoint: ['e'], Cmd: ['x'] });
    expect(base).toEqual({ Cmd: ['old'] }); // the input is not modified
  });

  it('shell form uses the config\'s Shell', () => {
    expect(applyChanges({ Shell: ['/bin/bash', '-xc'] }, ['CMD ls']).Cmd).toEqual(['/bin/bash', '-xc', 'ls']);
  });

  it('ENV: pairs, quotes, escapes, substitution from the environment before the instruction', () => {
    expect(apply('ENV A=1 B="two words" C=x\\ y', 'ENV D=$A${B}', 'ENV E ${A:-z} and  more  ')).toEqual({
      Env: ['A=1', 'B=two words', 'C=x y', 'D=1two words', 'E=1 and  more'],
    });
    expect(apply(`ENV A='single $X q' B="d \\"q\\" \\$X" C=a\\\\b`)).toEqual({ Env: ['A=single $X q', 'B=d "q" $X', 'C=a\\b'] });
    expect(apply('ENV A=1', 'ENV A=2')).toEqual({ Env: ['A=2'] });
    expect(apply('ENV PATH=/x:$PATH')).toEqual({ Env: ['PATH=/x:'] });
    expect(applyChanges({ Env: ['PATH=/bin'] }, ['ENV PATH=/x:$PATH'])).toEqual({ Env: ['PATH=/x:/bin'] });
    expect(apply('ENV A=1 B=$A')).toEqual({ Env: ['A=1', 'B='] });
    expect(apply('ENV A=${U:-dflt} B=${U:+alt} C=${A:+alt}')).toEqual({ Env: ['A=dflt', 'B=', 'C='] });
    expect(apply('ENV A=1 \\', 'B=2')).toEqual({ Env: ['A=1', 'B=2'] });
  });

  it('LABEL, EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, ONBUILD', () => {
    expect(apply('LABEL a=b "c d"=e', 'LABEL f g h')).toEqual({ Labels: { a: 'b', 'c d': 'e', f: 'g h' } });
    expect(apply('EXPOSE 80 443/udp 8000-8002/tcp 53/sctp', 'EXPOSE 80/TCP 8080:81')).toEqual({
      ExposedPorts: { '80/tcp': {}, '443/udp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/tcp': {}, '53/sctp': {}, '81/tcp': {} },
    });
    expect(apply('EXPOSE $P')).toEqual({});
    expect(apply('VOLUME /a /b', 'VOLUME ["/c", "/d"]')).toEqual({ Volumes: { '/a': {}, '/b': {}, '/c': {}, '/d': {} } });
    expect(apply('USER 1000:1000')).toEqual({ User: '1000:1000' });
    expect(apply('USER a b')).toEqual({ User: 'a b' });
    expect(apply('WORKDIR a', 'WORKDIR b/../c')).toEqual({ WorkingDir: '/a/c' });
    expect(apply('WORKDIR /x', 'WORKDIR $HOME/y')).toEqual({ WorkingDir: '/y' });
    expect(apply('ENV HOME=/h', 'WORKDIR $HOME/y')).toEqual({ Env: ['HOME=/h'], WorkingDir: '/h/y' });
    expect(apply('WORKDIR /a b')).toEqual({ WorkingDir: '/a b' });
    expect(apply('STOPSIGNAL SIGUSR1')).toEqual({ StopSignal: 'SIGUSR1' });
    expect(apply('ONBUILD run echo hi', 'onbuild  ADD . /app', 'ONBUILD FOO x')).toEqual({
      OnBuild: ['run echo hi', 'ADD . /app', 'FOO x'],
    });
  });

  it('HEALTHCHECK', () => {
    expect(apply('HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/')).toEqual({
      Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://x/'], Interval: 5_000_000_000, Retries: 3 },
    });
    expect(apply('HEALTHCHECK CMD ["a","b"]')).toEqual({ Healthcheck: { Test: ['CMD', 'a', 'b'] } });
    expect(apply('HEALTHCHECK NONE')).toEqual({ Healthcheck: { Test: ['NONE'] } });
    expect(apply('HEALTHCHECK --timeout=1m30s --start-period=2.5s CMD x').Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'x'],
      Timeout: 90_000_000_000,
      StartPeriod: 2_500_000_000,
    });
  });

  it.each([
    ['FOO x', 'foo is not a valid change command'],
    ['RUN echo', 'run is not a valid change command'],
    ['FROM x', 'from is not a valid change command'],
    ['SHELL ["/bin/bash","-c"]', 'shell is not a valid change command'],
    ['ENV', 'ENV requires at least one argument'],
    ['ENV A', 'ENV must have two arguments'],
    ['ENV =x', 'ENV names can not be blank'],
    ['ENV A=1 B', 'Syntax error - can\'t find = in "B". Must be of the form: name=value'],
    ['ENV --foo A=1', 'Unknown flag: foo'],
    ['CMD --help', 'Unknown flag: help'],
    ['EXPOSE', 'EXPOSE requires at least one argument'],
    ['EXPOSE abc', 'Invalid containerPort: abc'],
    ['EXPOSE 70000', 'Invalid containerPort: 70000'],
    ['EXPOSE 8002-8000', 'Invalid containerPort: 8002-8000'],
    ['EXPOSE 80/xyz', 'Invalid proto: xyz'],
    ['VOLUME', 'VOLUME requires at least one argument'],
    ['VOLUME [ ]', 'VOLUME requires at least one argument'],
    ['VOLUME ""', 'VOLUME specified can not be an empty string'],
    ['VOLUME ["/a", ""]', 'VOLUME specified can not be an empty string'],
    ['WORKDIR', 'WORKDIR requires exactly one argument'],
    ['USER', 'USER requires exactly one argument'],
    ['LABEL', 'LABEL requires at least one argument'],
    ['LABEL a', 'LABEL must have two arguments'],
    ['LABEL =x', 'LABEL names can not be blank'],
    ['STOPSIGNAL FOO', 'Invalid signal: FOO'],
    ['ONBUILD', 'ONBUILD requires at least one argument'],
    ['ONBUILD ONBUILD RUN x', 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['ONBUILD FROM x', 'FROM isn\'t allowed as an ONBUILD trigger'],
    ['ONBUILD MAINTAINER x', 'MAINTAINER isn\'t allowed as an ONBUILD trigger'],
    ['HEALTHCHECK', 'HEALTHCHECK requires at least one argument'],
    ['HEALTHCHECK NONE x', 'HEALTHCHECK NONE takes no arguments'],
    ['HEALTHCHECK x', 'Unknown type "X" in HEALTHCHECK (try CMD)'],
    ['HEALTHCHECK CMD', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK --foo=1 CMD a', 'Unknown flag: foo'],
    ['HEALTHCHECK --interval=abc CMD x', 'time: invalid duration "abc"'],
    ['HEALTHCHECK --interval=0s CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --interval=100us CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --retries=-1 CMD x', '--retries must be at least 1 (not -1)'],
    ['# comment', 'file with no instructions'],
    ['', 'file with no instructions'],
    ['ENV A="unterminated', 'unexpected end of statement while looking for matching double-quote'],
  ])('refuses %j with Docker\'s message', (change, message) => {
    expect(() => apply(change)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message }));
  });

  it('refuses the whole set when any change is invalid', () => {
    expect(() => apply('ENV A=1', 'FOO x')).toThrow('foo is not a valid change command');
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['5s', 5e9],
    ['1m30s', 90e9],
    ['1.5h', 5400e9],
    ['250ms', 250e6],
    ['10us', 10e3],
    ['-2s', -2e9],
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  it.each(['', 's', '5', '5x', '1m 2s'])('refuses %j', (text) => {
    expect(() => parseGoDuration(text)).toThrow(`time: invalid duration ${JSON.stringify(text)}`);
  });
});
