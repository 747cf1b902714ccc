// The texts the docker CLI prints for help and for a wrong number of
// arguments, with `strata` in place of `docker`: cobra's usage template as
// the docker CLI sets it, and pflag's flag lines wrapped to the terminal
// (80 columns when stdin is not one, as docker's wrappedFlagUsages).

import type { ArgRule, CommandEntry } from './command';
import type { FlagSpec } from './flags';

export function usageLine(entry: CommandEntry): string {
  return `strata ${entry.name} ${entry.usage}`.trimEnd();
}

/** pflag's wrapN: the longest head of `s` up to `i` characters that ends at a space (or newline). */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: `s` in lines of at most `w` columns, each indented by `i` but the first. */
function wrap(indent: number, w: number, s: string): string {
  let i = indent;
  let width = w - i;
  let out = '';
  if (width < 24) {
    i = 16;
    width = w - i;
    out += '\n' + ' '.repeat(i);
  }
  const pad = '\n' + ' '.repeat(i);
  if (width < 24) return s.replace(/\n/g, out);
  const slop = 5;
  width -= slop;
  let [line, rest] = wrapN(width, slop, s);
  out += line.replace(/\n/g, pad);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    out += pad + line.replace(/\n/g, pad);
  }
  return out;
}

/** pflag's FlagUsagesWrapped(cols): a line per visible flag, sorted by long name, help wrapped at `cols`. */
export function flagUsages(specs: readonly FlagSpec[], cols = 79): string {
  const visible = specs.filter((s) => !s.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lefts = visible.map((spec) => {
    const left = spec.short ? `  -${spec.short}, --${spec.name}` : `      --${spec.name}`;
    return spec.type === 'bool' ? left : `${left} ${spec.type}`;
  });
  const maxlen = Math.max(0, ...lefts.map((l) => l.length + 1));
  return visible
    .map((spec, k) => {
      let usage = spec.help;
      if (spec.default !== undefined) usage += spec.type === 'string' ? ` (default "${spec.default}")` : ` (default ${spec.default})`;
      // fmt.Println(left, spacing, wrapped): one space between each.
      return `${lefts[k]} ${' '.repeat(maxlen - lefts[k].length)} ${wrap(maxlen + 2, cols, usage)}`;
    })
    .join('\n');
}

/** The columns help is wrapped to: the terminal's, else 80, less one (docker's wrappedFlagUsages asks stdin's). */
export function helpColumns(): number {
  const out = process.stdout;
  return (process.stdin.isTTY && out.isTTY && out.columns ? out.columns : 80) - 1;
}

/** `strata COMMAND --help`, in cobra's layout as the docker CLI sets it. */
export function commandHelp(entry: CommandEntry, flags: readonly FlagSpec[], cols = 79): string {
  let text = `\nUsage:  ${usageLine(entry)}\n\n${entry.description ?? entry.summary}\n`;
  if (entry.aliases && entry.aliases.length > 0) text += `\nAliases:\n  ${[entry.name.split(' ').at(-1), ...entry.aliases].join(', ')}\n`;
  if (flags.some((f) => !f.hidden)) text += `\nOptions:\n${flagUsages(flags, cols).replace(/\s+$/, '')}\n`;
  return text;
}

/** A flag the command does not know, or a bad flag value: exit 125. */
export function flagErrorText(entry: CommandEntry, message: string): string {
  return `${message}\nSee 'strata ${entry.name} --help'.\n`;
}

const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');

/** cobra's argument rules as the docker CLI words them, or undefined when `count` fits. */
export function argCountError(entry: CommandEntry, rule: ArgRule, count: number): string | undefined {
  const { min, max } = rule;
  const path = `"strata ${entry.name}"`;
  let problem: string | undefined;
  if (min !== undefined && max !== undefined && min === max) {
    if (count !== min) problem = `${path} requires exactly ${min} ${plural(min)}.`;
  } else if (min !== undefined && max !== undefined) {
    if (count < min || count > max) problem = `${path} requires at least ${min} and at most ${max} ${plural(max)}.`;
  } else if (min !== undefined) {
    if (count < min) problem = `${path} requires at least ${min} ${plural(min)}.`;
  } else if (max !== undefined) {
    if (count > max) problem = max === 0 ? `${path} accepts no arguments.` : `${path} accepts at most ${max} ${plural(max)}.`;
  }
  if (!problem) return undefined;
  return `${problem}\nSee 'strata ${entry.name} --help'.\n\nUsage:  ${usageLine(entry)}\n\n${entry.summary}\n`;
}

/** cobra's command listing: names padded to the longest (at least 11), then the summary. */
export function commandList(entries: readonly CommandEntry[]): string {
  const width = Math.max(11, ...entries.map((e) => e.name.length));
  return entries.map((e) => `  ${e.name.padEnd(width)} ${e.summary}`).join('\n');
}

/** `strata --help`: the management commands (groups), then the others, as docker lists them. */
export function topLevelHelp(entries: readonly CommandEntry[]): string {
  const groups = entries.filter((e) => e.group);
  const others = entries.filter((e) => !e.group);
  return (
    '\nUsage:  strata [OPTIONS] COMMAND\n\n' +
    'A daemonless container engine that shows how images become containers\n\n' +
    'Options:\n' +
    '  -v, --version   Print version information and quit\n\n' +
    `Management Commands:\n${commandList(groups)}\n\n` +
    `Commands:\n${commandList(others)}\n\n` +
    "Run 'strata COMMAND --help' for more information on a command.\n"
  );
}
