import { describe, expect, it } from 'vitest';
import { commandForm, envMap, expandWord, expandWords, parseInstruction, splitInstructions, splitWords } from './instruction';

describe('splitInstructions', () => {
  it('skips comments and blank lines, joins continuations, numbers lines', () => {
    const text = '# syntax comment\n\nFROM base\nRUN a \\\n  # inside\n  && b\n  cmd   ["x"]  \n';
    expect(splitInstructions(text).map((i) => [i.line, i.keyword, i.rest])).toEqual([
      [3, 'FROM', 'base'],
      [4, 'RUN', 'a && b'],
      [7, 'CMD', '["x"]'],
    ]);
  });
});

describe('parseInstruction', () => {
  it('takes leading --flags and keeps the rest as written', () => {
    expect(parseInstruction('HEALTHCHECK --interval=5s --retries=3 CMD curl -f x')).toMatchObject({
      keyword: 'HEALTHCHECK',
      flags: { interval: '5s', retries: '3' },
      rest: 'CMD curl -f x',
    });
    expect(parseInstruction('COPY --chown=1:1 -- --a b').flags).toEqual({ chown: '1:1' });
    expect(parseInstruction('COPY --chown=1:1 -- --a b').rest).toBe('--a b');
  });
});

describe('commandForm', () => {
  it('tells exec form from shell form', () => {
    expect(commandForm('["a","b c"]')).toEqual({ json: true, args: ['a', 'b c'] });
    expect(commandForm('[not json')).toEqual({ json: false, command: '[not json' });
    expect(commandForm('{"a":1}')).toEqual({ json: false, command: '{"a":1}' });
  });
});

describe('splitWords', () => {
  it('groups quoted text and keeps quotes and escapes for the word processor', () => {
    expect(splitWords(`a=1 b="x y" c='p q' d=e\\ f ""`)).toEqual(['a=1', 'b="x y"', "c='p q'", 'd=e\\ f', '""']);
  });
});

describe('expandWord', () => {
  const env = envMap(['HOME=/root', 'EMPTY=', 'N=1', 'N=2']);
  it.each([
    ['$HOME/x', '/root/x'],
    ['${HOME}x', '/rootx'],
    ['"$HOME" \'$HOME\'', "/root $HOME"],
    ['\\$HOME', '$HOME'],
    ['"a\\"b\\\\c\\d"', 'a"b\\c\\d'],
    ['${MISSING:-dflt}|${EMPTY:-dflt}|${EMPTY-dflt}', 'dflt|dflt|'],
    ['${HOME:+set}|${EMPTY:+set}|${EMPTY+set}', 'set||set'],
    ['${N}', '2'],
    ['$', '$'],
    ['a$-b', 'a$-b'],
  ])('%s → %s', (word, out) => expect(expandWord(word, env)).toBe(out));

  it.each([
    ["'open", 'unexpected end of statement while looking for matching single-quote'],
    ['${HOME', "syntax error: missing '}'"],
    ['${HOME?x}', 'unsupported modifier (?) in substitution'],
  ])('refuses %s', (word, message) => expect(() => expandWord(word, env)).toThrow(message));
});

describe('a Dockerfile\'s escape character', () => {
  it('escapes with ` when `# escape=` says so; a backslash is then plain', () => {
    expect(expandWord('C:\\path\\$X `$X', envMap(['X=1']), '`')).toBe('C:\\path\\1 $X');
    expect(splitWords('a=C:\\x b=`" c', '`')).toEqual(['a=C:\\x', 'b=`"', 'c']);
  });
});

describe('expandWords (Docker\'s ProcessWords, for EXPOSE)', () => {
  const env = envMap(['PORTS=80 443/udp', 'ONE=8080']);
  it.each([
    ['$PORTS', ['80', '443/udp']],
    ['"$PORTS"', ['80 443/udp']],
    ['$ONE', ['8080']],
    ['a\\ b c', ['a b', 'c']],
    ['', []],
  ])('%s → %j', (text, words) => expect(expandWords(text, env)).toEqual(words));
});
