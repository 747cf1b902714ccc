// The Run and Create dialogs' form: what a person types, and the
// CreateOptions (and so the `strata run` / `strata create` line) it becomes,
// with the problems that keep it from being sent, in the words the CLI would
// use. Empty fields mean "the image's own" or "the engine's default", as an
// absent flag does.

import type { CreateOptions } from '../../../engine/api';
import { splitWords } from './commands';
import { isPullable } from './reference';
import { signalNumber } from './signals';

export interface RunForm {
  image: string;
  name: string;
  /** The command and its arguments, typed as in a shell. */
  command: string;
  /** --entrypoint: one program replacing the image's ENTRYPOINT. */
  entrypoint: string;
  interactive: boolean; // -i
  tty: boolean; // -t
  autoRemove: boolean; // --rm
  env: string[]; // -e NAME=VALUE
  workingDir: string; // -w
  user: string; // -u
  hostname: string; // -h
  binds: string[]; // -v SRC:DST[:ro|rw]
  network: '' | 'none' | 'host'; // '' = the default (none)
  labels: string[]; // -l key=value
  stopSignal: string;
  stopTimeout: string;
}

export type RunField = keyof RunForm;

export interface FormProblem {
  field: RunField;
  /** Which row of a list field. */
  index?: number;
  message: string;
}

export function emptyRunForm(image = ''): RunForm {
  return {
    image,
    name: '',
    command: '',
    entrypoint: '',
    interactive: true,
    tty: true,
    autoRemove: false,
    env: [],
    workingDir: '',
    user: '',
    hostname: '',
    binds: [],
    network: '',
    labels: [],
    stopSignal: '',
    stopTimeout: '',
  };
}

const containerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const imageId = /^(sha256:)?[0-9a-f]+$/;

const filled = (rows: readonly string[]) => rows.map((v, index) => ({ v: v.trim(), index })).filter((r) => r.v !== '');

export function createOptionsFrom(form: RunForm): { options: CreateOptions; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const o: CreateOptions = { image: form.image.trim() };
  const name = form.name.trim();
  if (name) {
    if (!containerName.test(name)) problems.push({ field: 'name', message: `Invalid container name (${name}): only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed` });
    o.name = name;
  }
  const cmd = splitWords(form.command);
  if (cmd.length) o.cmd = cmd;
  if (form.entrypoint.trim()) o.entrypoint = [form.entrypoint.trim()];
  if (form.tty) o.tty = true;
  if (form.interactive) o.openStdin = true;
  if (form.autoRemove) o.autoRemove = true;

  const env: string[] = [];
  for (const { v, index } of filled(form.env)) {
    const eq = v.indexOf('=');
    if (eq <= 0) problems.push({ field: 'env', index, message: 'Write NAME=VALUE: the app has no shell environment to take a value from' });
    else if (/\s/.test(v.slice(0, eq))) problems.push({ field: 'env', index, message: `variable name '${v.slice(0, eq)}' contains whitespace` });
    else env.push(v);
  }
  if (env.length) o.env = env;
  if (form.workingDir.trim()) {
    if (!form.workingDir.trim().startsWith('/')) problems.push({ field: 'workingDir', message: 'the working directory must be an absolute path' });
    o.workingDir = form.workingDir.trim();
  }
  if (form.user.trim()) o.user = form.user.trim();
  if (form.hostname.trim()) o.hostname = form.hostname.trim();

  const binds: string[] = [];
  for (const { v, index } of filled(form.binds)) {
    const [source, target, mode, ...rest] = v.split(':');
    if (!source.startsWith('/')) problems.push({ field: 'binds', index, message: `'${source}' must be an absolute host path (Strata has no named volumes yet)` });
    else if (!target || !target.startsWith('/')) problems.push({ field: 'binds', index, message: 'write HOST-PATH:CONTAINER-PATH, both absolute' });
    else if ((mode !== undefined && mode !== 'ro' && mode !== 'rw') || rest.length) problems.push({ field: 'binds', index, message: `invalid mode '${[mode, ...rest].join(':')}': ro or rw` });
    else binds.push(v);
  }
  if (binds.length) o.binds = binds;
  if (form.network) o.networkMode = form.network;

  const labels: Record<string, string> = {};
  let anyLabel = false;
  for (const { v, index } of filled(form.labels)) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    if (/\s/.test(key)) problems.push({ field: 'labels', index, message: `label '${key}' contains whitespace` });
    else {
      labels[key] = eq < 0 ? '' : v.slice(eq + 1);
      anyLabel = true;
    }
  }
  if (anyLabel) o.labels = labels;

  const signal = form.stopSignal.trim();
  if (signal) {
    const n = signalNumber(signal);
    if (n === undefined || n < 1 || n > 64) problems.push({ field: 'stopSignal', message: `Invalid signal: ${signal}` });
    o.stopSignal = signal;
  }
  const timeout = form.stopTimeout.trim();
  if (timeout) {
    if (!/^-?\d+$/.test(timeout)) problems.push({ field: 'stopTimeout', message: 'a whole number of seconds' });
    else o.stopTimeout = Number(timeout);
  }
  if (!o.image) problems.push({ field: 'image', message: 'choose an image' });
  else if (!isPullable(o.image) && !imageId.test(o.image)) problems.push({ field: 'image', message: `invalid reference format: ${o.image} (name[:tag], lower case)` });
  return { options: o, problems };
}
