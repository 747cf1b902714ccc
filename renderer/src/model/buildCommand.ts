// The Build view's form: what it asks the engine (`image.build`'s options)
// and the `strata build` line that does the same from a terminal. Paths are
// on the engine's machine, so they must be absolute; and since the engine
// reads them as root, only the command line may name them: the app builds
// typed Dockerfiles, and for a folder shows the command to run. A typed Dockerfile goes
// on the command's standard input as a heredoc: `-f - CONTEXT` when there is
// a context folder, else `-` alone (no context, as `docker build - < Dockerfile`).

import type { BuildOptions } from '../../../engine/api';
import { commandLine } from './commands';

export interface BuildForm {
  /** Where the Dockerfile comes from: a file in the context folder, or typed here. */
  source: 'folder' | 'typed';
  /** The context folder on the engine's machine; '' (typed Dockerfiles only) for no context. */
  context: string;
  /** The Dockerfile in the folder: relative to it, or absolute; '' for the default (Dockerfile). */
  dockerfile: string;
  /** The typed Dockerfile. */
  text: string;
  /** -t, separated by spaces or commas. */
  tags: string;
  /** --build-arg, one KEY=value per line. */
  buildArgs: string;
  target: string;
  noCache: boolean;
}

export const emptyForm: BuildForm = {
  source: 'typed',
  context: '',
  dockerfile: '',
  text: 'FROM starter\nRUN echo hi > /hi.txt\nCMD ["cat", "/hi.txt"]\n',
  tags: '',
  buildArgs: '',
  target: '',
  noCache: false,
};

/** The browser host takes messages of at most 128 KiB (engine/host/sockets.ts): a typed Dockerfile fits with room to spare. */
const typedDockerfileBytes = 64 * 1024;

export const parseTags = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** `KEY=value` lines; a bare `KEY` names the arg without a value (a declared ARG keeps its default). */
export function parseBuildArgs(text: string): Record<string, string | null> {
  const args: Record<string, string | null> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) args[trimmed] = null;
    else args[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return args;
}

/** What is wrong with the form, in one line, or null when it can be built. */
export function formProblem(form: BuildForm): string | null {
  const context = form.context.trim();
  if (form.source === 'folder' && !context) return 'Choose the context folder';
  if (context && !context.startsWith('/')) return 'The context folder must be an absolute path on the engine’s machine';
  // The engine would read the folder as root: the app's front ends may name no host path (engine/rpc/policy.ts).
  if (context) return 'The engine reads a context folder as root, so only the command line may name one: run this strata build in a terminal';
  if (form.source === 'typed' && !form.text.trim()) return 'Type a Dockerfile';
  if (form.source === 'typed' && new TextEncoder().encode(form.text).length > typedDockerfileBytes) return 'A typed Dockerfile may be at most 64 KiB';
  if (Object.keys(parseBuildArgs(form.buildArgs)).some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) return 'Build args are KEY=value, one per line';
  return null;
}

/** The Dockerfile's path as the command line names it: the CLI resolves -f from where it runs, not from the context. */
function dockerfilePath(form: BuildForm): string | undefined {
  const file = form.dockerfile.trim();
  if (!file) return undefined;
  if (file.startsWith('/')) return file;
  return `${form.context.trim().replace(/\/+$/, '')}/${file.replace(/^(\.\/)+/, '')}`;
}

export function buildOptions(form: BuildForm): BuildOptions {
  const context = form.context.trim();
  const opts: BuildOptions = { context };
  if (form.source === 'typed') opts.dockerfileText = form.text;
  else if (form.dockerfile.trim()) opts.dockerfile = dockerfilePath(form);
  const tags = parseTags(form.tags);
  if (tags.length > 0) opts.tags = tags;
  const args = parseBuildArgs(form.buildArgs);
  if (Object.keys(args).length > 0) opts.buildArgs = args;
  if (form.target.trim()) opts.target = form.target.trim();
  if (form.noCache) opts.noCache = true;
  return opts;
}

/** A heredoc delimiter that no line of the text is. */
function delimiter(text: string): string {
  const lines = new Set(text.split('\n'));
  let d = 'EOF';
  for (let n = 1; lines.has(d); n++) d = `EOF${n}`;
  return d;
}

/** `strata build -t app:v1 /ctx`, or with a typed Dockerfile `strata build -t app:v1 -f - /ctx <<'EOF'` and the text. */
export function buildCommand(form: BuildForm): string {
  const o = buildOptions(form);
  const words = ['strata', 'build'];
  for (const tag of o.tags ?? []) words.push('-t', tag);
  for (const [k, v] of Object.entries(o.buildArgs ?? {})) words.push('--build-arg', v === null ? k : `${k}=${v}`);
  if (o.target) words.push('--target', o.target);
  if (o.noCache) words.push('--no-cache');
  if (o.dockerfile) words.push('-f', o.dockerfile);
  if (o.dockerfileText === undefined) return commandLine([...words, o.context || 'CONTEXT']);
  words.push(...(o.context ? ['-f', '-', o.context] : ['-']));
  const text = o.dockerfileText.endsWith('\n') ? o.dockerfileText : `${o.dockerfileText}\n`;
  const end = delimiter(text);
  return `${commandLine(words)} <<'${end}'\n${text}${end}`;
}
