import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectEnv, parseEnvFile, validateEnv } from './envfile';
import { OptionError } from './session';

describe('parseEnvFile (docker --env-file rules)', () => {
  const env = { FROM_CLI: 'cli value', EMPTY: '' };

  it('keeps KEY=VAL lines verbatim, skips comments and blank lines', () => {
    const text = '\uFEFF# a comment\nA=1\n\n  B=two words  \nC=\n   # indented comment\nD=x=y\r\n';
    expect(parseEnvFile(text, env)).toEqual(['A=1', 'B=two words  ', 'C=', 'D=x=y']);
  });

  it("takes a bare KEY's value from the CLI's environment, and drops it when unset there", () => {
    expect(parseEnvFile('FROM_CLI\nEMPTY\nNOT_SET\n', env)).toEqual(['FROM_CLI=cli value', 'EMPTY=']);
  });

  it('refuses a name with whitespace or no name', () => {
    expect(() => parseEnvFile('MY VAR=1\n', env)).toThrow("poorly formatted environment: variable 'MY VAR' contains whitespaces");
    expect(() => parseEnvFile('=1\n', env)).toThrow("poorly formatted environment: no variable name on line '=1'");
  });
});

describe('validateEnv (-e)', () => {
  it('passes KEY=VAL, fills a bare KEY from the environment, keeps an unknown bare KEY', () => {
    expect(validateEnv('A=1', {})).toBe('A=1');
    expect(validateEnv('HOME', { HOME: '/root' })).toBe('HOME=/root');
    expect(validateEnv('NOPE', {})).toBe('NOPE');
    expect(() => validateEnv('=x', {})).toThrow('invalid environment variable: =x');
  });
});

describe('collectEnv', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('puts the files first, then -e, so -e wins', () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-envfile-'));
    const file = join(dir, 'env');
    writeFileSync(file, 'A=from-file\nB=file\n');
    expect(collectEnv([file], ['A=from-flag'], {})).toEqual(['A=from-file', 'B=file', 'A=from-flag']);
  });

  it('says which file cannot be opened', () => {
    expect(() => collectEnv(['/nonexistent/env'], [], {})).toThrow(OptionError);
    expect(() => collectEnv(['/nonexistent/env'], [], {})).toThrow('open /nonexistent/env: no such file or directory');
  });
});
