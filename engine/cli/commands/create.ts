// `strata create`, and the container flags it shares with `run`: one flag
// for each field of CreateOptions, with docker's names and help texts.

import type { CreateOptions } from '../../api';
import type { CommandModule } from '../command';
import { collectEnv, validateEnv } from '../envfile';
import type { FlagSpec, Flags } from '../flags';
import { keyValueMap } from '../flagValues';
import { OptionError, type Cli } from '../session';
import { parseDeviceCgroupRule } from '../../runtime/devices';
import { fileLabels, hostFlags, hostOptions } from './hostFlags';

export function validateLabel(value: string): string {
  const key = value.split('=')[0].trim();
  if (key === '') throw new Error(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return value;
}

/** The docker CLI's ValidateDeviceCgroupRule (the engine's reading of a rule). */
function checkDeviceRule(value: string): string {
  parseDeviceCgroupRule(value);
  return value;
}

export const containerFlags: readonly FlagSpec[] = [
  { name: 'device', type: 'list', help: 'Add a host device to the container' },
  { name: 'device-cgroup-rule', type: 'list', help: 'Add a rule to the cgroup allowed devices list', validate: checkDeviceRule },
  { name: 'entrypoint', type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'env', short: 'e', type: 'list', help: 'Set environment variables', validate: (v) => validateEnv(v) },
  { name: 'env-file', type: 'list', help: 'Read in a file of environment variables' },
  { name: 'hostname', short: 'h', type: 'string', help: 'Container host name' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'label', short: 'l', type: 'list', help: 'Set meta data on a container', validate: validateLabel },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'network', type: 'network', help: 'Connect a container to a network (none or host)', aliases: ['net'] },
  { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
  { name: 'pull', type: 'string', help: 'Pull image before running ("always"|"missing"|"never")', default: 'missing' },
  ...hostFlags,
  { name: 'privileged', type: 'bool', help: 'Give extended privileges to this container' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container when it exits' },
  { name: 'stop-signal', type: 'string', default: 'SIGTERM', help: 'Signal to stop a container' },
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
  if (flags.has('device-cgroup-rule')) options.deviceCgroupRules = flags.list('device-cgroup-rule');
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
  const labels = [...fileLabels(flags), ...flags.list('label')];
  if (labels.length > 0) options.labels = keyValueMap(labels);
  return { ...options, ...hostOptions(cli, flags) };
}

/**
 * Creates the container, pulling its image first as the docker CLI does:
 * always with --pull always, never with --pull never, and by default only
 * when the image is missing (after "Unable to find image 'x' locally");
 * prints the engine's warnings as docker does.
 */
export async function createContainer(cli: Cli, options: CreateOptions, flags?: Flags): Promise<string> {
  const cidfile = flags?.string('cidfile');
  if (!cidfile) return createWithPull(cli, options, flags);
  const fs = await import('node:fs');
  // As the docker CLI: the file is claimed first, so two runs cannot both write it.
  let fd: number;
  try {
    fd = fs.openSync(cidfile, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OptionError(`Container ID file found, make sure the other container isn't running or delete ${cidfile}`);
    }
    throw new OptionError(`Failed to create the container ID file: ${(err as Error).message}`);
  }
  try {
    const id = await createWithPull(cli, options, flags);
    fs.writeSync(fd, id);
    return id;
  } catch (err) {
    fs.rmSync(cidfile, { force: true });
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

async function createWithPull(cli: Cli, options: CreateOptions, flags?: Flags): Promise<string> {
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
