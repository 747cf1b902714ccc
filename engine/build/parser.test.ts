import { describe, expect, it } from 'vitest';
import { extractFlags, parseDockerfile } from './parser';

const lines = (text: string) => parseDockerfile(text).nodes.map((n) => [n.startLine, n.keyword, n.args]);

describe('parseDockerfile', () => {
  it('joins continuations, drops comments and blank lines inside them, keeps line numbers', () => {
    const text = 'FROM base\n\n# a comment\nRUN a \\\n  # inside\n  && b \\\n\n  && c\ncmd ["x"]\n';
    const parsed = parseDockerfile(text);
    expect(lines(text)).toEqual([
      [1, 'FROM', 'base'],
      [4, 'RUN', 'a   && b   && c'],
      [9, 'CMD', '["x"]'],
    ]);
    // The step text Docker prints: the joined line, continuation lines as written.
    expect(parsed.nodes[1].original).toBe('RUN a   && b   && c');
    expect(parsed.nodes[1].endLine).toBe(8);
    expect(parsed.warnings[0]).toContain('Empty continuation line found in');
  });

  it('reads CRLF files and a byte-order mark', () => {
    expect(lines('\ufeffFROM base\r\nRUN x\r\n')).toEqual([
      [1, 'FROM', 'base'],
      [2, 'RUN', 'x'],
    ]);
  });

  it('switches the escape character with a directive, and records # syntax', () => {
    const parsed = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM base\nRUN dir c:\\ `\n  /w\n');
    expect(parsed.escape).toBe('`');
    expect(parsed.syntax).toBe('docker/dockerfile:1');
    expect(parsed.nodes[1].args).toBe('dir c:\\   /w');
  });

  it('takes directives only at the very top', () => {
    expect(parseDockerfile('FROM base\n# escape=`\nRUN a \\\n b\n').escape).toBe('\\');
    expect(parseDockerfile('# comment\n# escape=`\nFROM base\n').escape).toBe('\\');
  });

  it('refuses a repeated or invalid escape directive', () => {
    expect(() => parseDockerfile('# escape=`\n# escape=\\\nFROM x\n')).toThrow('failed to parse Dockerfile: only one escape parser directive can be used');
    expect(() => parseDockerfile('# escape=x\nFROM x\n')).toThrow("invalid ESCAPE 'x'. Must be ` or \\");
  });

  it('reads heredocs after RUN, COPY and ADD', () => {
    const parsed = parseDockerfile('FROM base\nRUN <<EOF\necho a\n  # kept\nEOF\nRUN cat <<-"END" > /f\n\tx\n\tEND\nENV A=1\n');
    const [, run1, run2, env] = parsed.nodes;
    expect(run1.heredocs).toEqual([{ name: 'EOF', content: 'echo a\n  # kept\n', expand: true, chomp: false }]);
    expect(run2.heredocs).toEqual([{ name: 'END', content: 'x\n', expand: false, chomp: true }]);
    expect([run1.startLine, run1.endLine, env.startLine]).toEqual([2, 5, 9]);
  });

  it('refuses an unterminated heredoc and a file without instructions', () => {
    expect(() => parseDockerfile('FROM base\nRUN <<EOF\necho\n')).toThrow('dockerfile parse error line 2: unterminated heredoc EOF');
    expect(() => parseDockerfile('# nothing\n\n')).toThrow('failed to parse Dockerfile: file with no instructions');
  });
});

describe('extractFlags', () => {
  it('reads leading --flags as Docker does, quotes grouping', () => {
    expect(extractFlags('--from=build --chown="a b" src dst')).toEqual({ flags: ['--from=build', '--chown=a b'], rest: 'src dst' });
    expect(extractFlags('--link -- --odd dst')).toEqual({ flags: ['--link'], rest: ' --odd dst' });
    expect(extractFlags('src --not-a-flag')).toEqual({ flags: [], rest: 'src --not-a-flag' });
  });
});
