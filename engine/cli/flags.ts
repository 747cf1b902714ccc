// One flag parser for every command, with pflag's rules as the docker CLI
// uses them: `-it` combines short booleans, `-eK=V`/`-e K=V`/`-e=K=V`,
// `--name=x`/`--name x`, `--rm`/`--rm=false`, `--` ends the flags, and for
// run/create/exec the flags stop at the first positional argument (the rest
// is the container's command). Each command declares its flags in a table,
// with docker's value types: the help shows the type's word, and a value is
// read as docker reads it (flagValues.ts).

import { oneLine } from '../errors';
import {
  memSwapBytes,
  parseFilter,
  parseGoBool,
  parseGoInt,
  parseGoUint16,
  parseNanoCpus,
  splitCsv,
} from './flagValues';
import { parseGoDuration } from '../duration';
import { parseRamBytes } from '../humanize';

/**
 * pflag's and the docker CLI's value types, by the word `--help` shows.
 * Numbers: int, uint16, bytes (RAMInBytes), decimal (NanoCPUs), duration
 * (nanoseconds). Repeatable: list, strings (comma-separated too), map
 * (KEY=VALUE), filter (name=value), ulimit, mount. The rest are one string.
 */
export type FlagType =
  | 'bool'
  | 'string'
  | 'int'
  | 'uint16'
  | 'bytes'
  | 'decimal'
  | 'duration'
  | 'list'
  | 'strings'
  | 'map'
  | 'filter'
  | 'ulimit'
  | 'mount'
  | 'network'
  | 'gpu-request';

export interface FlagSpec {
  /** Long name, without the dashes. */
  name: string;
  short?: string;
  type: FlagType;
  help: string;
  /** Shown in help as "(default ...)". */
  default?: string;
  /** Checks and normalises one value before its type reads it; throws an Error whose message pflag would print. */
  validate?: (value: string) => string;
  /** Old names still accepted, not shown in help (docker's hidden `--net` for `--network`). */
  aliases?: string[];
  /** Accepted, not shown in help. */
  hidden?: boolean;
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

type Value = string | boolean | number | string[];

const numberTypes: ReadonlySet<FlagType> = new Set(['int', 'uint16', 'bytes', 'decimal', 'duration']);
const repeatableTypes: ReadonlySet<FlagType> = new Set(['list', 'strings', 'map', 'filter', 'ulimit', 'mount']);

export class Flags {
  constructor(private readonly values: Map<string, Value>) {}

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
  /** Any number type: int, uint16, bytes, decimal (billionths), duration (nanoseconds). */
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

/** One value of a number type, as the docker CLI's flag would read it. */
function readNumber(spec: FlagSpec, value: string): number {
  switch (spec.type) {
    case 'uint16':
      return parseGoUint16(value);
    case 'bytes':
      // --memory-swap (and only it among the byte sizes) takes -1: unlimited.
      return spec.name === 'memory-swap' ? memSwapBytes(value) : parseRamBytes(value);
    case 'decimal':
      return parseNanoCpus(value);
    case 'duration':
      return parseGoDuration(value);
    default:
      return parseGoInt(value);
  }
}

/** Reads one occurrence of a flag into `values` (repeatable types accumulate). */
function setValue(values: Map<string, Value>, spec: FlagSpec, raw: string): void {
  try {
    const value = spec.validate ? spec.validate(raw) : raw;
    if (spec.type === 'bool') values.set(spec.name, parseGoBool(value));
    else if (numberTypes.has(spec.type)) values.set(spec.name, readNumber(spec, value));
    else if (repeatableTypes.has(spec.type)) {
      const list = (values.get(spec.name) as string[] | undefined) ?? [];
      if (spec.type === 'strings') list.push(...splitCsv(value));
      else if (spec.type === 'filter') {
        if (value !== '') list.push(parseFilter(value));
      } else list.push(value);
      values.set(spec.name, list);
    } else values.set(spec.name, value);
  } catch (err) {
    if (err instanceof FlagError) throw err;
    throw invalid(spec, raw, (err as Error).message);
  }
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
  const values = new Map<string, Value>();
  const args: string[] = [];
  let help = false;

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
      // run and create list --help among their flags (their -h is --hostname): it still asks for help.
      if (spec.name === 'help') help = true;
      if (eq >= 0) setValue(values, spec, word.slice(eq + 1));
      else if (spec.type === 'bool') setValue(values, spec, 'true');
      else if (i + 1 < argv.length) setValue(values, spec, argv[++i]);
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
          setValue(values, spec, rest.slice(1));
          break;
        }
        if (spec.type === 'bool') {
          setValue(values, spec, 'true');
          continue;
        }
        if (rest) setValue(values, spec, rest);
        else if (i + 1 < argv.length) setValue(values, spec, argv[++i]);
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
