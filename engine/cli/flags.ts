// One flag parser for every command, with pflag's rules as the docker CLI
// uses them: `-it` combines short booleans, `-eK=V`/`-e K=V`/`-e=K=V`,
// `--name=x`/`--name x`, `--rm`/`--rm=false`, `--` ends the flags, and for
// run/create/exec the flags stop at the first positional argument (the rest
// is the container's command). Each command declares its flags in a table.

import { oneLine } from '../errors';

export type FlagType = 'bool' | 'string' | 'int' | 'list';

export interface FlagSpec {
  /** Long name, without the dashes. */
  name: string;
  short?: string;
  type: FlagType;
  help: string;
  /** Shown in help as "(default ...)". */
  default?: string;
  /** Checks and normalises one value; throws an Error whose message pflag would print. */
  validate?: (value: string) => string;
  /** Old names still accepted, not shown in help (docker's `--time` for `--timeout`). */
  aliases?: string[];
}

/** A mistake in the command line itself: exit 125 for flags, as the docker CLI. */
export class FlagError extends Error {
  constructor(message: string) {
    super(oneLine(message));
  }
}

export interface ParseResult {
  flags: Flags;
  args: string[];
  help: boolean;
}

export class Flags {
  constructor(private readonly values: Map<string, string | boolean | number | string[]>) {}

  /** Whether the user gave the flag at all (pflag's Changed). */
  has(name: string): boolean {
    return this.values.has(name);
  }
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  int(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

function flagLabel(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

function invalid(spec: FlagSpec, value: string, why: string): FlagError {
  return new FlagError(`invalid argument "${value}" for "${flagLabel(spec)}" flag: ${why}`);
}

function parseBool(spec: FlagSpec, value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw invalid(spec, value, `strconv.ParseBool: parsing "${value}": invalid syntax`);
}

function parseInt64(spec: FlagSpec, value: string): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    const why = Number.isNaN(n) ? 'invalid syntax' : 'value out of range';
    throw invalid(spec, value, `strconv.ParseInt: parsing "${value}": ${why}`);
  }
  return n;
}

/**
 * Parses `argv` (the words after the command name) against `specs`.
 * `interspersed: false` stops at the first positional, as run, create and exec do.
 */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[], interspersed = true): ParseResult {
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byLong.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) byLong.set(alias, spec);
    if (spec.short) byShort.set(spec.short, spec);
  }
  const values = new Map<string, string | boolean | number | string[]>();
  const args: string[] = [];
  let help = false;

  const set = (spec: FlagSpec, raw: string) => {
    let value = raw;
    if (spec.validate) {
      try {
        value = spec.validate(raw);
      } catch (err) {
        throw invalid(spec, raw, (err as Error).message);
      }
    }
    switch (spec.type) {
      case 'bool':
        values.set(spec.name, parseBool(spec, value));
        break;
      case 'int':
        values.set(spec.name, parseInt64(spec, value));
        break;
      case 'string':
        values.set(spec.name, value);
        break;
      case 'list': {
        const list = (values.get(spec.name) as string[] | undefined) ?? [];
        list.push(value);
        values.set(spec.name, list);
        break;
      }
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) {
        if (name === 'help') {
          help = true;
          continue;
        }
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq >= 0) set(spec, word.slice(eq + 1));
      else if (spec.type === 'bool') set(spec, 'true');
      else if (i + 1 < argv.length) set(spec, argv[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      const shorthands = word.slice(1);
      for (let j = 0; j < shorthands.length; j++) {
        const c = shorthands[j];
        const spec = byShort.get(c);
        if (!spec) {
          if (c === 'h') {
            help = true;
            continue;
          }
          throw new FlagError(`unknown shorthand flag: '${c}' in -${shorthands}`);
        }
        const rest = shorthands.slice(j + 1);
        if (rest.startsWith('=')) {
          set(spec, rest.slice(1));
          break;
        }
        if (spec.type === 'bool') {
          set(spec, 'true');
          continue;
        }
        if (rest) set(spec, rest);
        else if (i + 1 < argv.length) set(spec, argv[++i]);
        else throw new FlagError(`flag needs an argument: '${c}' in -${shorthands}`);
        break;
      }
      continue;
    }
    args.push(word);
    if (!interspersed) {
      args.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags: new Flags(values), args, help };
}

/** pflag's help lines: `  -s, --signal string   Signal to send...`, sorted by long name. */
export function flagUsages(specs: readonly FlagSpec[]): string {
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lefts = sorted.map((spec) => {
    let left = spec.short ? `  -${spec.short}, --${spec.name}` : `      --${spec.name}`;
    if (spec.type !== 'bool') left += ' ' + spec.type;
    return left;
  });
  const width = Math.max(0, ...lefts.map((l) => l.length));
  return sorted
    .map((spec, k) => {
      let help = spec.help;
      if (spec.default !== undefined) help += spec.type === 'string' ? ` (default "${spec.default}")` : ` (default ${spec.default})`;
      return `${lefts[k].padEnd(width)}   ${help}`;
    })
    .join('\n');
}
