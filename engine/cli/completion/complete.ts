// `strata __complete LINE`: what the shell scripts (scripts.ts) ask on TAB.
// LINE is the command line up to the cursor; the answer is a candidate a
// line ("value\tdescription"), then one directive line: ":files" when the
// shell should offer paths as well, else ":none". Commands, groups' subcommands
// and flags come from the command table and each command's flag table;
// container and image names from the store (read-only; nothing when it
// cannot be read, e.g. as a user who is not root).

import { commands, findCommand } from '../commands';
import type { CommandEntry, CommandModule } from '../command';
import type { FlagSpec } from '../flags';
import type { CommandGroup } from '../group';
import { findSubcommand } from '../group';
import type { Cli } from '../session';
import { storeNames, type StoreNames } from './names';

interface Candidate {
  value: string;
  description?: string;
}

type Answer = { candidates: Candidate[]; files: boolean };

/** Splits a command line into words as a shell would (quotes, backslashes); the last is the one being completed. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  words.push(word);
  return words;
}

const isGroup = (command: CommandModule): command is CommandGroup => 'subcommands' in command;

/** Which containers a command's CONTAINER argument offers, as docker's completion does. */
const containerStates: Record<string, readonly string[] | undefined> = {
  attach: ['running'],
  exec: ['running'],
  kill: ['running', 'paused'],
  pause: ['running'],
  stop: ['running', 'paused'],
  top: ['running', 'paused'],
  start: ['created', 'exited'],
  unpause: ['paused'],
};

/** Values a flag takes, where there is a fixed set; files for those that name a host path. */
function flagValues(spec: FlagSpec, names: () => StoreNames): Answer {
  const fixed: Record<string, string[]> = {
    'log-driver': ['json-file', 'local', 'none'],
    pull: ['always', 'missing', 'never'],
    network: ['none', 'host'],
    runtime: ['strata', 'runc', 'crun'],
    cgroupns: ['host', 'private'],
    ipc: ['none', 'private', 'shareable', 'host'],
    pid: ['host'],
    uts: ['host'],
    userns: ['host'],
    type: ['container', 'image'],
    signal: ['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2'],
    'stop-signal': ['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2'],
    filter: ['ancestor=', 'before=', 'dangling=', 'exited=', 'id=', 'label=', 'name=', 'reference=', 'since=', 'status=', 'until='],
  };
  const pathFlags = ['env-file', 'label-file', 'cidfile', 'iidfile', 'file', 'output', 'input'];
  if (pathFlags.includes(spec.name)) return { candidates: [], files: true };
  if (spec.name === 'volumes-from' || spec.name === 'link') return { candidates: names().containers.map((c) => ({ value: c.name })), files: false };
  if (spec.name === 'cache-from') return { candidates: names().images.map((value) => ({ value })), files: false };
  return { candidates: (fixed[spec.name] ?? []).map((value) => ({ value })), files: false };
}

/** The kind of each positional argument, read from the usage line ("[OPTIONS] CONTAINER [CONTAINER...]"). */
function positionalKinds(usage: string): string[] {
  return usage
    .split(/\s+/)
    .filter((w) => w !== '[OPTIONS]' && w !== '|' && w !== '-')
    .map((w) => w.replace(/^\[|\]$|\.\.\.\]?$/g, '').replace(/\[.*$/, ''));
}

function positional(entry: CommandEntry, index: number, names: () => StoreNames): Answer {
  const kinds = positionalKinds(entry.usage);
  const last = entry.usage.trimEnd().endsWith('...]') ? kinds.at(-1) : undefined;
  const kind = kinds[index] ?? last;
  const command = entry.name.split(' ').at(-1)!;
  const containers = (states?: readonly string[]) =>
    names()
      .containers.filter((c) => !states || states.includes(c.state))
      .map((c) => ({ value: c.name }));
  const images = () => names().images.map((value) => ({ value }));
  switch (kind) {
    case 'CONTAINER':
      return { candidates: containers(containerStates[command]), files: false };
    case 'IMAGE':
    case 'SOURCE_IMAGE':
    case 'NAME':
      return { candidates: images(), files: false };
    case 'NAME|ID':
      return { candidates: [...containers(), ...images()], files: false };
    case 'PATH':
    case 'file|-':
      return { candidates: [], files: true };
    default:
      return { candidates: [], files: false };
  }
}

function flagCandidates(flags: readonly FlagSpec[]): Candidate[] {
  return flags
    .filter((f) => !f.hidden)
    .flatMap((f) => [{ value: `--${f.name}`, description: f.help }, ...(f.short ? [{ value: `-${f.short}`, description: f.help }] : [])]);
}

/** The flag whose value comes in the next word, when `word` ends with one ("--name", "-dit" ending in a value flag...). */
function awaitsValue(word: string, byName: Map<string, FlagSpec>): FlagSpec | undefined {
  if (word.startsWith('--')) {
    const spec = byName.get(word);
    return spec && spec.type !== 'bool' ? spec : undefined;
  }
  for (let i = 1; i < word.length; i++) {
    const spec = byName.get(`-${word[i]}`);
    if (!spec) return undefined;
    if (spec.type !== 'bool') return i === word.length - 1 ? spec : undefined;
  }
  return undefined;
}

async function answer(words: string[], names: () => StoreNames): Promise<Answer> {
  const current = words.at(-1) ?? '';
  const before = words.slice(1, -1); // after `strata`
  if (before.length === 0) {
    if (current.startsWith('-')) return { candidates: [{ value: '--help' }, { value: '--version' }], files: false };
    return { candidates: commands.map((c) => ({ value: c.name, description: c.summary })), files: false };
  }
  let entry = findCommand(before[0]);
  if (!entry) return { candidates: [], files: false };
  let command = await entry.load();
  let rest = before.slice(1);
  if (isGroup(command)) {
    if (rest.length === 0) return { candidates: command.subcommands.map((c) => ({ value: c.name, description: c.summary })), files: false };
    const sub = findSubcommand(command.subcommands, rest[0]);
    if (!sub) return { candidates: [], files: false };
    entry = { ...sub, name: `${entry.name} ${sub.name}` };
    command = await sub.load();
    rest = rest.slice(1);
  }
  // Walk the words before the cursor as the parser would: flags, their values, positionals.
  const byName = new Map<string, FlagSpec>();
  for (const f of command.flags) {
    byName.set(`--${f.name}`, f);
    if (f.short) byName.set(`-${f.short}`, f);
  }
  let positionals = 0;
  let pending: FlagSpec | undefined;
  let ended = false;
  for (const word of rest) {
    if (pending) pending = undefined;
    else if (!ended && word === '--') ended = true;
    else if (!ended && word.startsWith('-') && word.length > 1) pending = awaitsValue(word, byName);
    else {
      positionals++;
      // run, create and exec: after the image (or container), the rest is the container's command.
      if (command.interspersed === false && !isGroup(command)) ended = true;
    }
  }
  if (pending) return flagValues(pending, names);
  if (!ended && current.startsWith('-')) {
    const eq = current.indexOf('=');
    const spec = eq > 0 ? byName.get(current.slice(0, eq)) : undefined;
    if (spec) {
      const values = flagValues(spec, names);
      return { ...values, candidates: values.candidates.map((c) => ({ value: `${current.slice(0, eq + 1)}${c.value}` })) };
    }
    return { candidates: flagCandidates(command.flags), files: false };
  }
  if (ended && command.interspersed === false && positionals > 0) return { candidates: [], files: true };
  return positional(entry, positionals, names);
}

export async function complete(cli: Cli, args: string[]): Promise<number> {
  const words = shellWords(args.join(' '));
  const current = words.at(-1) ?? '';
  const { candidates, files } = await answer(words, () => storeNames(cli.env));
  const seen = new Set<string>();
  for (const c of candidates) {
    if (!c.value.startsWith(current) || seen.has(c.value)) continue;
    seen.add(c.value);
    cli.out(c.description ? `${c.value}\t${c.description}\n` : `${c.value}\n`);
  }
  cli.out(files ? ':files\n' : ':none\n');
  return 0;
}
