// The `strata` command line each action of the app equals, so the GUI
// teaches the CLI: what is pressed here can be typed in a terminal.
// Containers and images are named the way a person would type them: the
// 12-character short id, or the reference for a tagged image.

import type { CreateOptions } from '../../../engine/api';
import { shortId } from './format';

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellWord(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

const strata = (...words: Array<string | false | undefined | null>) =>
  commandLine(['strata', ...words.filter((w): w is string => typeof w === 'string')]);

/** What an image is called on a command line: its first tag, else its short id. */
export function imageName(id: string, repoTags: readonly string[] = []): string {
  return repoTags[0] ?? shortId(id);
}

export const commands = {
  images: (all: boolean) => strata('images', all && '-a'),
  bootstrap: () => strata('bootstrap'),
  load: (file: string) => strata('load', '-i', file),
  import: (file: string, o: { reference?: string; message?: string; changes?: readonly string[] } = {}) =>
    strata('import', ...(o.message ? ['-m', o.message] : []), ...(o.changes ?? []).flatMap((c) => ['-c', c]), file, o.reference || undefined),
  imagePrune: (all: boolean) => strata('image', 'prune', '-f', all && '-a'),
  ps: (all: boolean) => strata('ps', all && '-a'),
  imageInspect: (image: string) => strata('image', 'inspect', image),
  history: (image: string) => strata('history', image),
  tag: (source: string, target: string) => strata('tag', source, target),
  rmi: (image: string, force = false) => strata('rmi', force && '-f', image),
  save: (image: string, file: string) => strata('save', '-o', file, image),
  pull: (reference: string, platform?: string) => strata('pull', platform ? '--platform' : undefined, platform || undefined, reference),
  push: (image: string) => strata('push', image),
  login: (server: string, username: string) => strata('login', '-u', username || 'USER', server && server !== 'docker.io' ? server : undefined),

  create: (o: CreateOptions) => strata('create', ...createFlags(o), o.image, ...argv(o)),
  run: (o: CreateOptions & { detach?: boolean }) =>
    strata('run', o.detach && '-d', ...createFlags(o), o.image, ...argv(o)),

  start: (id: string) => strata('start', shortId(id)),
  stop: (id: string) => strata('stop', shortId(id)),
  kill: (id: string, signal?: string) => strata('kill', ...(signal && signal !== 'KILL' ? ['-s', signal] : []), shortId(id)),
  pause: (id: string) => strata('pause', shortId(id)),
  unpause: (id: string) => strata('unpause', shortId(id)),
  restart: (id: string) => strata('restart', shortId(id)),
  rm: (id: string, force = false) => strata('rm', force && '-f', shortId(id)),
  commit: (id: string, o: { reference?: string; message?: string; author?: string } = {}) =>
    strata(
      'commit',
      ...(o.author ? ['-a', o.author] : []),
      ...(o.message ? ['-m', o.message] : []),
      shortId(id),
      o.reference || undefined,
    ),
  export: (id: string, file: string) => strata('export', '-o', file, shortId(id)),
  inspect: (id: string) => strata('inspect', shortId(id)),
  diff: (id: string) => strata('diff', shortId(id)),
  logs: (id: string, follow: boolean) => strata('logs', follow && '-f', shortId(id)),
  stats: (id: string) => strata('stats', shortId(id)),
  /** A new memory limit with swap the same size (no swap), so it may go above the old swap limit. */
  updateMemory: (id: string, size: string) => strata('update', '-m', size, '--memory-swap', size, shortId(id)),
  exec: (id: string, cmd: readonly string[]) => strata('exec', '-it', shortId(id), ...cmd),

  networks: () => strata('network', 'ls'),
  networkCreate: (o: { name: string; subnet?: string; internal?: boolean }) =>
    strata('network', 'create', ...(o.subnet ? ['--subnet', o.subnet] : []), o.internal && '--internal', o.name || 'NAME'),
  networkRm: (name: string) => strata('network', 'rm', name),
  networkPrune: () => strata('network', 'prune', '-f'),
  networkInspect: (name: string) => strata('network', 'inspect', name),
  port: (id: string) => strata('port', shortId(id)),
  volumes: () => strata('volume', 'ls'),
  volumeCreate: (name: string) => strata('volume', 'create', name || undefined),
  volumeRm: (name: string) => strata('volume', 'rm', name),
  volumePrune: (all: boolean) => strata('volume', 'prune', '-f', all && '--all'),
  volumeInspect: (name: string) => strata('volume', 'inspect', name),
};

function createFlags(o: CreateOptions): string[] {
  const f: string[] = [];
  if (o.name) f.push('--name', o.name);
  if (o.autoRemove) f.push('--rm');
  if (o.openStdin && o.tty) f.push('-it');
  else if (o.openStdin) f.push('-i');
  else if (o.tty) f.push('-t');
  for (const e of o.env ?? []) f.push('-e', e);
  if (o.workingDir) f.push('-w', o.workingDir);
  if (o.user) f.push('-u', o.user);
  if (o.hostname) f.push('-h', o.hostname);
  for (const b of o.binds ?? []) f.push('-v', b);
  if (o.networkMode) f.push('--network', o.networkMode);
  for (const a of o.networkAliases ?? []) f.push('--network-alias', a);
  for (const [port, bindings] of Object.entries(o.portBindings ?? {})) {
    for (const b of bindings) f.push('-p', publishFlag(port, b.HostIp, b.HostPort));
  }
  if (o.publishAll) f.push('-P');
  if (o.entrypoint) f.push('--entrypoint', o.entrypoint.join(' '));
  for (const [k, v] of Object.entries(o.labels ?? {})) f.push('-l', v === '' ? k : `${k}=${v}`);
  if (o.stopSignal) f.push('--stop-signal', o.stopSignal);
  if (o.stopTimeout !== undefined) f.push('--stop-timeout', String(o.stopTimeout));
  if (o.memory) f.push('-m', memoryFlag(o.memory));
  if (o.memorySwap) f.push('--memory-swap', o.memorySwap === -1 ? '-1' : memoryFlag(o.memorySwap));
  if (o.pidsLimit) f.push('--pids-limit', String(o.pidsLimit));
  return f;
}

/** One binding as -p: "[IP:][HOSTPORT:]PORT[/udp]" (tcp is the default and left out). */
export function publishFlag(port: string, hostIp: string, hostPort: string): string {
  const [number, proto] = port.split('/');
  const container = proto === 'udp' ? `${number}/udp` : number;
  if (hostIp) return `${hostIp}:${hostPort}:${container}`;
  return hostPort ? `${hostPort}:${container}` : container;
}

/** Bytes as a person types them: "20m" when whole mebibytes. */
function memoryFlag(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes % mib === 0 ? `${bytes / mib}m` : String(bytes);
}

function argv(o: CreateOptions): string[] {
  return o.cmd ?? [];
}

/**
 * Splits a command typed into a form the way a POSIX shell splits words:
 * spaces separate, quotes group, a backslash escapes outside single quotes.
 * No expansion happens, as none would inside the container's exec either.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
