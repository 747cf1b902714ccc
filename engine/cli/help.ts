// The texts the docker CLI prints for help and for a wrong number of
// arguments, with `strata` in place of `docker`.

import type { ArgRule, CommandEntry } from './command';
import { flagUsages, type FlagSpec } from './flags';

export function usageLine(entry: CommandEntry): string {
  return `strata ${entry.name} ${entry.usage}`;
}

export function commandHelp(entry: CommandEntry, flags: readonly FlagSpec[]): string {
  let text = `\nUsage:  ${usageLine(entry)}\n\n${entry.summary}\n`;
  if (flags.length > 0) text += `\nOptions:\n${flagUsages(flags)}\n`;
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

export function topLevelHelp(entries: readonly CommandEntry[]): string {
  const width = Math.max(...entries.map((e) => e.name.length)) + 3;
  const lines = entries.map((e) => `  ${e.name.padEnd(width)}${e.summary}`);
  return (
    '\nUsage:  strata [OPTIONS] COMMAND\n\n' +
    'A daemonless container engine that shows how images become containers\n\n' +
    'Options:\n' +
    '      --help      Print usage\n' +
    '  -v, --version   Print version information and quit\n\n' +
    `Commands:\n${lines.join('\n')}\n\n` +
    "Run 'strata COMMAND --help' for more information on a command.\n"
  );
}
