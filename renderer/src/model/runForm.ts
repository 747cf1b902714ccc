// The Run and Create dialogs' form: what a person types, and the
// CreateOptions (and so the `strata run` / `strata create` line) it becomes,
// with the problems that keep it from being sent, in the words the CLI would
// use. Empty fields mean "the image's own" or "the engine's default", as an
// absent flag does.

import type { CreateOptions } from '../../../engine/api';
import { parsePublishList } from '../../../engine/network/portSpec';
import { parseVolumeFlag } from '../../../engine/volume/mountSpec';
import { parseRamBytes } from '../../../engine/humanize';
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
  binds: string[]; // -v NAME:DST, /HOST:DST or DST, [:MODE]
  network: string; // --network; '' = the default bridge
  ports: string[]; // -p [IP:][HOSTPORT:]PORT[/PROTO]
  labels: string[]; // -l key=value
  stopSignal: string;
  stopTimeout: string;
  memory: string; // -m, as typed ("20m")
  pidsLimit: string; // --pids-limit
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
    ports: [],
    labels: [],
    stopSignal: '',
    stopTimeout: '',
    memory: '',
    pidsLimit: '',
  };
}

const containerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const imageId = /^(sha256:)?[0-9a-f]+$/;

/** What `parse` throws, in its words; undefined when it takes the value. */
function refusal(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

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

  // -v and -p read by the engine's own parsers, so each row says what the engine would.
  const binds: string[] = [];
  for (const { v, index } of filled(form.binds)) {
    const problem = refusal(() => parseVolumeFlag(v));
    if (problem) problems.push({ field: 'binds', index, message: problem });
    else binds.push(v);
  }
  if (binds.length) o.binds = binds;
  if (form.network) o.networkMode = form.network;
  const ports: string[] = [];
  for (const { v, index } of filled(form.ports)) {
    const problem = refusal(() => parsePublishList([v]));
    if (problem) problems.push({ field: 'ports', index, message: problem });
    else ports.push(v);
  }
  if (ports.length) o.portBindings = parsePublishList(ports);

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
  const memory = form.memory.trim();
  if (memory) {
    const problem = refusal(() => (o.memory = parseRamBytes(memory)));
    if (problem) problems.push({ field: 'memory', message: problem });
  }
  const pids = form.pidsLimit.trim();
  if (pids) {
    if (!/^-?\d+$/.test(pids)) problems.push({ field: 'pidsLimit', message: `invalid argument "${pids}" for "--pids-limit" flag: strconv.ParseInt: parsing "${pids}": invalid syntax` });
    else o.pidsLimit = Number(pids);
  }
  if (!o.image) problems.push({ field: 'image', message: 'choose an image' });
  else if (!isPullable(o.image) && !imageId.test(o.image)) problems.push({ field: 'image', message: `invalid reference format: ${o.image} (name[:tag], lower case)` });
  return { options: o, problems };
}
