// The Go formats the CLI copies: tabwriter alignment, JSON escaping, quoting,
// times, and the --format template subset.
process.env.TZ = 'UTC';

import { describe, expect, it } from 'vitest';
import { DetachKeys } from './attach';
import { goJson, goJsonIndent, goQuote } from './gojson';
import { parseTimestamp } from '../filters/timestamp';
import { goTimeString, rfc3339NanoFixed } from './gotime';
import { tabwrite } from './tabwriter';
import { goValue, parseTemplate } from './template';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads each column to its widest cell plus padding, never below minwidth', () => {
    expect(tabwrite('A\tBBBBBBBBBBBB\tC\nxx\ty\tz\n', { minWidth: 10, padding: 3 })).toBe(
      'A         BBBBBBBBBBBB   C\nxx        y              z\n',
    );
  });

  it('aligns a column only within a block of lines that have it', () => {
    // Line 2 has no tab: it ends the block, so line 3 is aligned on its own.
    expect(tabwrite('a\tb\nlonger line\nccccccccccccccc\td\n', { minWidth: 1, padding: 1 })).toBe(
      'a b\nlonger line\nccccccccccccccc d\n',
    );
  });

  it('counts characters, not bytes', () => {
    expect(tabwrite('"sh -c…"\tx\nab\ty', { minWidth: 0, padding: 1 })).toBe('"sh -c…" x\nab       y');
  });

  it('pads the top table (minwidth 20) and leaves the last column alone', () => {
    expect(tabwrite('PID\tCMD\n1\tsleep 1000\n', { minWidth: 20, padding: 3 })).toBe(
      'PID                 CMD\n1                   sleep 1000\n',
    );
  });
});

describe('Go JSON and quoting', () => {
  it('escapes <, > and & as encoding/json does', () => {
    expect(goJson({ Digest: '<none>', Cmd: 'a && b' })).toBe('{"Digest":"\\u003cnone\\u003e","Cmd":"a \\u0026\\u0026 b"}');
  });

  it('indents with four spaces like docker inspect', () => {
    expect(goJsonIndent([{ Id: 'x', Args: [] }], '    ')).toBe('[\n    {\n        "Id": "x",\n        "Args": []\n    }\n]');
  });

  it('quotes as strconv.Quote', () => {
    expect(goQuote('sleep 1000')).toBe('"sleep 1000"');
    expect(goQuote('a"b\\c\n\x1b\x07')).toBe('"a\\"b\\\\c\\n\\x1b\\a"');
    expect(goQuote('echo …')).toBe('"echo …"');
  });
});

describe('Go times', () => {
  it('prints time.Unix(s, 0).String()', () => {
    expect(goTimeString(1795838124)).toBe('2026-11-28 03:55:24 +0000 UTC');
  });

  it('prints RFC3339NanoFixed with all nine digits', () => {
    expect(rfc3339NanoFixed(1795838185000000000)).toBe('2026-11-28T03:56:25.000000000Z');
  });

  it('reads --since as docker does', () => {
    const now = 1795838185000;
    // A duration is before now, to the second, as GetTimestamp's Unix().
    expect(parseTimestamp('10m', now + 400)).toBe((now - 600_000) * 1e6);
    expect(parseTimestamp('1h30m', now)).toBe((now - 5_400_000) * 1e6);
    expect(parseTimestamp('1795838185', now)).toBe(1795838185e9);
    expect(parseTimestamp('1795838185.5', now)).toBe(1795838185e9 + 5e8);
    expect(parseTimestamp('2026-11-28T03:56:25Z', now)).toBe(1795838185e9);
    expect(parseTimestamp('2026-11-28T03:56:25.5Z', now)).toBe(1795838185e9 + 5e8);
    expect(parseTimestamp('2026-11-28T05:56:25+02:00', now)).toBe(1795838185e9);
    expect(parseTimestamp('2026-11-28Z', now)).toBe(Date.UTC(2026, 10, 28) * 1e6);
    // Without a zone: the local time, as Docker's ParseInLocation.
    expect(parseTimestamp('2026-11-28T03:56', now)).toBe(new Date(2026, 10, 28, 3, 56).getTime() * 1e6);
    expect(() => parseTimestamp('yesterday', now)).toThrow('failed to parse value as time or duration: "yesterday"');
  });
});

describe('templates', () => {
  const inspect = { Id: 'abc', State: { Status: 'exited', ExitCode: 3, Running: false }, Args: ['-c', 'x'], Config: { Labels: { b: '2', a: '1' } } };

  it('reads fields and nested fields', () => {
    expect(parseTemplate('{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}').render(inspect)).toBe('exited 3 false');
  });

  it('prints json of a value or of everything', () => {
    expect(parseTemplate('{{json .Args}}').render(inspect)).toBe('["-c","x"]');
    expect(parseTemplate('{{ json . }}').render({ a: '<' })).toBe('{"a":"\\u003c"}');
  });

  it("prints values as Go's %v", () => {
    expect(goValue(['a', 'b'])).toBe('[a b]');
    expect(goValue({ b: '2', a: '1' })).toBe('map[a:1 b:2]');
    expect(parseTemplate('{{.Missing}}').render(inspect)).toBe('<no value>');
  });

  it('builds a table header from the column titles', () => {
    const t = parseTemplate('table {{.ID}}\\t{{.Names}}');
    expect(t.table).toBe(true);
    expect(t.header({ ID: 'CONTAINER ID' })).toBe('CONTAINER ID\tNAMES');
  });

  it('refuses what it does not implement', () => {
    expect(() => parseTemplate('{{range .Args}}{{.}}{{end}}')).toThrow(/unsupported format/);
    expect(() => parseTemplate('{{.Id')).toThrow(/unclosed action/);
  });
});

describe('DetachKeys (ctrl-p ctrl-q)', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);

  it('detaches on the sequence and forwards what came before it', () => {
    expect(new DetachKeys().feed(bytes(0x61, 0x10, 0x11, 0x62))).toEqual({ forward: bytes(0x61), detach: true });
  });

  it('detaches on a sequence split across reads', () => {
    const keys = new DetachKeys();
    expect(keys.feed(bytes(0x10))).toEqual({ forward: bytes(), detach: false });
    expect(keys.feed(bytes(0x11))).toEqual({ forward: bytes(), detach: true });
  });

  it('passes ctrl-p through when ctrl-q does not follow', () => {
    const keys = new DetachKeys();
    expect(keys.feed(bytes(0x10, 0x61))).toEqual({ forward: bytes(0x10, 0x61), detach: false });
    expect(keys.feed(bytes(0x10, 0x10, 0x11))).toEqual({ forward: bytes(0x10), detach: true });
  });
});
