// The text each step records in its history entry's `created_by` — and so
// in the image's container_config.Cmd, which the cache compares — byte for
// byte as Docker's classic builder writes it. It joins a command with
// spaces, and metadata steps get a `#(nop)` comment in the stage's shell:
//   commit():       [...shell, "#(nop) ", text]  →  /bin/sh -c #(nop)  CMD ["a" "b"]
//   WORKDIR, COPY:  [...shell, "#(nop) " + text] →  /bin/sh -c #(nop) WORKDIR /app
// Values are printed as Go's fmt prints them: %q quotes, %v of a slice is
// [a b], durations as Go's time.Duration.

import type { HealthConfig } from '../oci/config';

/** The step's Cmd for a metadata step (Docker's withCmdComment). */
export function nopCommand(shell: readonly string[], text: string): string[] {
  return [...shell, '#(nop) ', text];
}

/** The step's Cmd for WORKDIR, COPY and ADD (Docker's withCmdCommentString). */
export function nopCommandString(shell: readonly string[], text: string): string[] {
  return [...shell, `#(nop) ${text}`];
}

/** RUN's recorded Cmd: the build args in effect first, as `|N K=V ...`. */
export function runCommand(cmd: readonly string[], recordedArgs: readonly string[]): string[] {
  return recordedArgs.length > 0 ? [`|${recordedArgs.length}`, ...recordedArgs, ...cmd] : [...cmd];
}

/** Go's %q of a []string: ["a" "b c"]. */
export function goQuotedList(items: readonly string[] | undefined): string {
  return `[${(items ?? []).map(goQuote).join(' ')}]`;
}

/** Go's %v of a []string: [a b c]. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const shortEscapes: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (printable.test(ch)) out += ch;
    else out += escapeCodePoint(cp);
  }
  return `${out}"`;
}

/** Go's strconv.QuoteRune, which %q prints an int as. */
function goQuoteRune(n: number): string {
  const ch = String.fromCodePoint(n);
  if (ch === "'" || ch === '\\') return `'\\${ch}'`;
  return printable.test(ch) ? `'${ch}'` : `'${escapeCodePoint(n)}'`;
}

function escapeCodePoint(cp: number): string {
  if (shortEscapes[cp]) return shortEscapes[cp];
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's time.Duration.String() of nanoseconds: "0s", "1.5s", "1m30s", "500ms", "2µs". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let u = Math.abs(ns);
  if (u < 1e9) {
    const [unit, size] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFraction(u / (size as number))}${unit}`;
  }
  const hours = Math.floor(u / 3600e9);
  u -= hours * 3600e9;
  const minutes = Math.floor(u / 60e9);
  u -= minutes * 60e9;
  const seconds = `${trimFraction(u / 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trimFraction(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

/** `HEALTHCHECK %q` of Docker's HealthConfig struct: &{["CMD-SHELL" "x"] "5s" "0s" "0s" '\x03'}. */
export function healthcheckText(h: HealthConfig): string {
  const d = (ns?: number) => goQuote(goDuration(ns ?? 0));
  return `HEALTHCHECK &{${goQuotedList(h.Test)} ${d(h.Interval)} ${d(h.Timeout)} ${d(h.StartPeriod)} ${goQuoteRune(h.Retries ?? 0)}}`;
}
