// Environment values as the docker CLI reads them: `-e KEY=VAL`, `-e KEY`
// (the value comes from the CLI's own environment), and --env-file files
// (KEY=VAL lines kept verbatim, `#` comments, blank lines, a bare KEY taken
// from the CLI's environment or dropped when unset there).

import { readFileSync } from 'node:fs';
import { OptionError } from './session';

/** opts.ValidateEnv for one -e value. */
export function validateEnv(value: string, env: NodeJS.ProcessEnv = process.env): string {
  const eq = value.indexOf('=');
  const key = eq < 0 ? value : value.slice(0, eq);
  if (key === '') throw new Error(`invalid environment variable: ${value}`);
  if (eq >= 0) return value;
  const fromCli = env[key];
  return fromCli !== undefined ? `${key}=${fromCli}` : value;
}

/** opts.ParseEnvFile on a file's text. */
export function parseEnvFile(text: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the newline ending the last line
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const variable = (eq < 0 ? line : line.slice(0, eq)).replace(/^[ \t]+/, '');
    if (/[ \t]/.test(variable)) throw new OptionError(`poorly formatted environment: variable '${variable}' contains whitespaces`);
    if (variable === '') throw new OptionError(`poorly formatted environment: no variable name on line '${line}'`);
    if (eq >= 0) out.push(`${variable}=${line.slice(eq + 1)}`);
    else if (env[line] !== undefined) out.push(`${variable.trim()}=${env[line]}`);
  }
  return out;
}

/** --env-file values first, then -e, as docker merges them (later ones win in the container). */
export function collectEnv(envFiles: readonly string[], envFlags: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromFiles: string[] = [];
  for (const file of envFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new OptionError(code === 'ENOENT' ? `open ${file}: no such file or directory` : `open ${file}: ${(err as Error).message}`);
    }
    fromFiles.push(...parseEnvFile(text, env));
  }
  return [...fromFiles, ...envFlags];
}
