// `strata create`, and the container flags it shares with `run`: one flag
// for each field of CreateOptions, with docker's names and help texts.

import type { CreateOptions } from '../../api';
import type { CommandModule } from '../command';
import { collectEnv, validateEnv } from '../envfile';
import type { FlagSpec, Flags } from '../flags';
import { OptionError, type Cli } from '../session';

export function validateLabel(value: string): string {
  const key = value.split('=')[0].trim();
  if (key === '') throw new Error(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return value;
}

export const containerFlags: readonly FlagSpec[] = [
  { name: 'device', type: 'list', help: 'Add a host device to the container' },
  { name: 'entrypoint', type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'env', short: 'e', type: 'list', help: 'Set environment variables', validate: (v) => validateEnv(v) },
  { name: 'env-file', type: 'list', help: 'Read in a file of environment variables' },
  { name: 'hostname', short: 'h', type: 'string', help: 'Container host name' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'label', short: 'l', type: 'list', help: 'Set meta data on a container', validate: validateLabel },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'network', type: 'string', help: 'Connect a container to a network (none or host)' },
  { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
  { name: 'pull', type: 'string', help: 'Pull image before running ("always"|"missing"|"never")', default: 'missing' },
  { name: 'privileged', type: 'bool', help: 'Give extended privileges to this container' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container when it exits' },
  { name: 'stop-signal', type: 'string', help: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', help: 'Timeout (in seconds) to stop a container' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'user', short: 'u', type: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'volume', short: 'v', type: 'list', help: 'Bind mount a volume (SRC:DST[:ro])' },
  { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
];

/** Strata has no named volumes: a bind source must be an absolute host path, never resolved against our cwd. */
function checkBind(spec: string): string {
  const source = spec.split(':')[0];
  if (!source.startsWith('/')) {
    throw new OptionError(`invalid mount config for type "bind": invalid mount path: '${source}' mount path must be absolute`);
  }
  return spec;
}

export function labelMap(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq < 0) labels[value] = '';
    else labels[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return labels;
}

/** CreateOptions from the container flags and `IMAGE [COMMAND] [ARG...]`. */
export function createOptions(cli: Cli, flags: Flags, args: readonly string[]): CreateOptions {
  const [image, ...cmd] = args;
  const options: CreateOptions = { image };
  if (cmd.length > 0) options.cmd = cmd;
  const env = collectEnv(flags.list('env-file'), flags.list('env'), cli.env);
  if (env.length > 0) options.env = env;
  if (flags.has('name')) options.name = flags.string('name');
  if (flags.has('workdir')) options.workingDir = flags.string('workdir');
  if (flags.has('user')) options.user = flags.string('user');
  if (flags.has('hostname')) options.hostname = flags.string('hostname');
  if (flags.bool('tty')) options.tty = true;
  if (flags.bool('interactive')) options.openStdin = true;
  if (flags.has('volume')) options.binds = flags.list('volume').map(checkBind);
  if (flags.has('device')) options.devices = flags.list('device');
  if (flags.bool('privileged')) options.privileged = true;
  if (flags.has('network')) {
    const network = flags.string('network');
    if (network !== 'none' && network !== 'host') {
      throw new OptionError(`network ${network} not found: Strata supports --network none and --network host`);
    }
    options.networkMode = network;
  }
  // --entrypoint "" resets the image's entrypoint, as docker sends [""].
  if (flags.has('entrypoint')) options.entrypoint = [flags.string('entrypoint') ?? ''];
  if (flags.has('stop-signal')) options.stopSignal = flags.string('stop-signal');
  if (flags.has('stop-timeout')) options.stopTimeout = flags.int('stop-timeout');
  if (flags.bool('rm')) options.autoRemove = true;
  if (flags.has('label')) options.labels = labelMap(flags.list('label'));
  return options;
}

/**
 * Creates the container, pulling its image first as the docker CLI does:
 * always with --pull always, never with --pull never, and by default only
 * when the image is missing (after "Unable to find image 'x' locally");
 * prints the engine's warnings as docker does.
 */
export async function createContainer(cli: Cli, options: CreateOptions, flags?: Flags): Promise<string> {
  const policy = flags?.string('pull') ?? 'missing';
  if (!['always', 'missing', 'never'].includes(policy)) {
    throw new OptionError(`invalid pull option: '${policy}': must be one of "always", "missing" or "never"`);
  }
  const platform = flags?.string('platform');
  const pullImage = async () => {
    const { runPull } = await import('../pulling');
    await runPull(cli, { reference: options.image, ...(platform ? { platform } : {}) }, 'stderr');
  };
  if (policy === 'always') await pullImage();
  let created;
  try {
    created = await cli.client.call('container.create', options);
  } catch (err) {
    if (policy !== 'missing' || !(await isMissingImage(cli, options.image, err))) throw err;
    const { parseReference, familiarString, withDefaultTag } = await import('../../image/reference');
    cli.err(`Unable to find image '${familiarString(withDefaultTag(parseReference(options.image)))}' locally\n`);
    await pullImage();
    created = await cli.client.call('container.create', options);
  }
  for (const warning of created.warnings) cli.err(`WARNING: ${warning}\n`);
  return created.id;
}

/** The create failed because its image is not here, and the image is named (not an id), so a pull may find it. */
async function isMissingImage(cli: Cli, image: string, err: unknown): Promise<boolean> {
  if ((err as { code?: string }).code !== 'NotFound' || /^(sha256:)?[0-9a-f]{64}$/.test(image)) return false;
  try {
    await cli.client.call('image.inspect', { ref: image });
    return false;
  } catch (e) {
    if ((e as { code?: string }).code !== 'NotFound') return false;
    const { parseReference } = await import('../../image/reference');
    try {
      parseReference(image);
      return true;
    } catch {
      return false;
    }
  }
}

export const create: CommandModule = {
  flags: containerFlags,
  args: { min: 1 },
  interspersed: false,
  async run(cli, flags, args) {
    const id = await createContainer(cli, createOptions(cli, flags, args), flags);
    cli.out(`${id}\n`);
    return 0;
  },
};
