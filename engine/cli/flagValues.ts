// The value types of the docker CLI's flags, each read as Go and the docker
// CLI read it: pflag's ints (strconv, base 0), go-units sizes ("512m"),
// Go durations ("10m30s", engine/duration.ts), NanoCPUs ("1.5"), comma lists (encoding/csv),
// KEY=VALUE maps and filters. Each throws an Error with the message pflag
// would put after `invalid argument "X" for "--flag" flag: `.

import { parseRamBytes } from '../humanize';

/** strconv's syntax for an integer in base 0: 0x, 0o, 0b prefixes, a leading 0 for octal, underscores between digits. */
function goInteger(text: string, fn: 'ParseInt' | 'ParseUint'): bigint {
  const syntax = new Error(`strconv.${fn}: parsing ${JSON.stringify(text)}: invalid syntax`);
  // An underscore only between digits, or right after a base prefix (Go's underscoreOK).
  const m = /^([+-]?)(0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0[bB]_?[01]+(?:_[01]+)*|0(?:_?[0-7]+)*|[1-9]\d*(?:_\d+)*)$/.exec(text);
  if (!m || (fn === 'ParseUint' && m[1])) throw syntax;
  const digits = m[2].replace(/_/g, '');
  const value = BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits);
  return m[1] === '-' ? -value : value;
}

function inRange(text: string, fn: 'ParseInt' | 'ParseUint', bits: number): number {
  const value = goInteger(text, fn);
  const [min, max] = fn === 'ParseInt' ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n];
  if (value < min || value > max) throw new Error(`strconv.${fn}: parsing ${JSON.stringify(text)}: value out of range`);
  // Beyond 2^53 a number loses digits: refused rather than changed.
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`strconv.${fn}: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(value);
}

/** pflag's int and int64: strconv.ParseInt(s, 0, 64). */
export const parseGoInt = (text: string): number => inRange(text, 'ParseInt', 64);
/** pflag's uint16: strconv.ParseUint(s, 0, 16). */
export const parseGoUint16 = (text: string): number => inRange(text, 'ParseUint', 16);

const trueWords = ['1', 't', 'T', 'true', 'TRUE', 'True'];
const falseWords = ['0', 'f', 'F', 'false', 'FALSE', 'False'];

/** strconv.ParseBool. */
export function parseGoBool(text: string): boolean {
  if (trueWords.includes(text)) return true;
  if (falseWords.includes(text)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

/** opts.MemSwapBytes: RAMInBytes, or -1 for unlimited swap. */
export const memSwapBytes = (text: string): number => (text === '-1' ? -1 : parseRamBytes(text));

/** opts.ParseCPUs (--cpus "1.5"): a rational number of CPUs, in billionths. */
export function parseNanoCpus(text: string): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  const rational = /^[+-]?\d+\/\d+$/.exec(text);
  if (rational) {
    const [num, den] = text.split('/').map(BigInt);
    if (den === 0n || (num * 1_000_000_000n) % den !== 0n) throw new Error(den === 0n ? `failed to parse ${text} as a rational number` : 'value is too precise');
    return Number((num * 1_000_000_000n) / den);
  }
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`failed to parse ${text} as a rational number`);
  const exponent = Number(m[4] ?? '0');
  const digits = (m[2] || '0') + (m[3] ?? '');
  const shift = 9 + exponent - (m[3] ?? '').length;
  let nanos: bigint;
  if (shift >= 0) nanos = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (BigInt(digits) % divisor !== 0n) throw new Error('value is too precise');
    nanos = BigInt(digits) / divisor;
  }
  return Number(m[1] === '-' ? -nanos : nanos);
}

/** pflag's stringSlice: one value may hold several, comma-separated as a CSV record ("a,b", "\"a,b\",c"). */
export function splitCsv(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error(`parse error on line 1, column ${text.length + 1}: extraneous or missing " in quoted-field`);
  out.push(field);
  return out;
}

/** filters.ParseFlag: "name=value", the name lower-cased, both trimmed. */
export function parseFilter(text: string): string {
  const eq = text.indexOf('=');
  if (eq < 0) throw new Error('bad format of filter (expected name=value)');
  return `${text.slice(0, eq).trim().toLowerCase()}=${text.slice(eq + 1).trim()}`;
}

/** KEY=VALUE values (--sysctl, --opt) as a map; a bare KEY maps to "". */
export function keyValueMap(values: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq < 0) map[value] = '';
    else map[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return map;
}
