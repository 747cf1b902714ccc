// `strata create`, and the container flags it shares with `run`: one flag
// for each field of CreateOptions, with docker's names and help texts.

import type { CreateOptions } from '../../api';
import type { CommandModule } from '../command';
import { policyFlags, policyOptions } from './containerPolicy';
import { collectEnv, validateEnv } from '../envfile';
import type { FlagSpec, Flags } from '../flags';
import { keyValueMap } from '../flagValues';
import path from 'node:path';
import { ipv4Value } from '../../network/ipv4';
import { parseExtraHost } from '../../network/nameFiles';
import { parseExpose, parsePublishList } from '../../network/portSpec';
import { parseMountFlag, parseTmpfsFlag } from '../../volume/mountSpec';
import { OptionError, type Cli } from '../session';
import { parseDeviceCgroupRule } from '../../runtime/devices';
import { fileLabels, hostFlags, hostOptions } from './hostFlags';
import { createOnlyResourceFlags, deviceLimitOptions, resourceFlags, resourceOptions, securityFlags, securityOptions } from './limitFlags';

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

/** The error text of a parser, for pflag's "invalid argument ... flag: <why>". */
export const checked = (parse: (v: string) => unknown) => (value: string) => {
  parse(value);
  return value;
};

export const containerFlags: readonly FlagSpec[] = [
  ...policyFlags,
  ...resourceFlags,
  ...createOnlyResourceFlags,
  ...securityFlags,
  { name: 'add-host', type: 'list', help: 'Add a custom host-to-IP mapping (host:ip)', validate: checked(parseExtraHost) },
  { name: 'device', type: 'list', help: 'Add a host device to the container' },
  { name: 'device-cgroup-rule', type: 'list', help: 'Add a rule to the cgroup allowed devices list', validate: checkDeviceRule },
  { name: 'dns', type: 'list', help: 'Set custom DNS servers', validate: validateDns },
  { name: 'dns-option', type: 'list', help: 'Set DNS options', aliases: ['dns-opt'] },
  { name: 'dns-search', type: 'list', help: 'Set custom DNS search domains' },
  { name: 'entrypoint', type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'env', short: 'e', type: 'list', help: 'Set environment variables', validate: (v) => validateEnv(v) },
  { name: 'env-file', type: 'list', help: 'Read in a file of environment variables' },
  { name: 'expose', type: 'list', help: 'Expose a port or a range of ports' },
  { name: 'hostname', short: 'h', type: 'string', help: 'Container host name' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'ip', type: 'string', help: 'IPv4 address (e.g., 10.67.0.104)' },
  { name: 'label', short: 'l', type: 'list', help: 'Set meta data on a container', validate: validateLabel },
  { name: 'mount', type: 'mount', help: 'Attach a filesystem mount to the container' },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'network', type: 'network', help: 'Connect a container to a network', aliases: ['net'] },
  { name: 'network-alias', type: 'list', help: 'Add network-scoped alias for the container', aliases: ['net-alias'] },
  { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
  { name: 'publish', short: 'p', type: 'list', help: "Publish a container's port(s) to the host" },
  { name: 'publish-all', short: 'P', type: 'bool', help: 'Publish all exposed ports to random ports' },
  { name: 'pull', type: 'string', help: 'Pull image before running ("always"|"missing"|"never")', default: 'missing' },
  ...hostFlags,
  { name: 'privileged', type: 'bool', help: 'Give extended privileges to this container' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container when it exits' },
  { name: 'stop-signal', type: 'string', default: 'SIGTERM', help: 'Signal to stop a container' },
  { name: 'stop-timeout', type: 'int', help: 'Timeout (in seconds) to stop a container' },
  { name: 'tmpfs', type: 'list', help: 'Mount a tmpfs directory' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'user', short: 'u', type: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'volume', short: 'v', type: 'list', help: 'Bind mount a volume' },
  { name: 'volumes-from', type: 'list', help: 'Mount volumes from the specified container(s)' },
  { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
];

/** opts.ValidateIPAddress, as --dns checks each value. */
function validateDns(value: string): string {
  if (ipv4Value(value) === undefined && !/^[0-9a-fA-F:]+$/.test(value)) throw new Error(`IP address is not correctly formatted: ${value}`);
  return value;
}

/** As docker's CLI: a host path "." or "./x" is made absolute against the current directory; a name is a volume. */
function volumeFlag(spec: string, cwd: string): string {
  const colon = spec.indexOf(':');
  const source = colon < 0 ? '' : spec.slice(0, colon);
  if (source === '.' || source.startsWith('./')) return path.resolve(cwd, source) + spec.slice(colon);
  return spec;
}

/** A parse error in a flag's value is the CLI's own: exit 125 with its text. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new OptionError((err as Error).message);
  }
}

/** CreateOptions from the container flags and `IMAGE [COMMAND] [ARG...]`. */
export function createOptions(cli: Cli, flags: Flags, args: readonly string[]): CreateOptions {
  const [image, ...cmd] = args;
  const options: CreateOptions = { image, ...securityOptions(flags), ...resourceOptions(flags), ...deviceLimitOptions(flags) };
  if (cmd.length > 0) options.cmd = cmd;
  const env = collectEnv(flags.list('env-file'), flags.list('env'), cli.env);
  if (env.length > 0) options.env = env;
  if (flags.has('name')) options.name = flags.string('name');
  if (flags.has('workdir')) options.workingDir = flags.string('workdir');
  if (flags.has('user')) options.user = flags.string('user');
  if (flags.has('hostname')) options.hostname = flags.string('hostname');
  if (flags.bool('tty')) options.tty = true;
  if (flags.bool('interactive')) options.openStdin = true;
  if (flags.has('volume')) options.binds = flags.list('volume').map((v) => volumeFlag(v, process.cwd()));
  if (flags.has('mount')) options.mounts = parsed(() => flags.list('mount').map(parseMountFlag));
  if (flags.has('tmpfs')) options.tmpfs = Object.fromEntries(parsed(() => flags.list('tmpfs').map(parseTmpfsFlag)));
  if (flags.has('volumes-from')) options.volumesFrom = flags.list('volumes-from');
  if (flags.has('network')) options.networkMode = flags.string('network');
  if (flags.has('network-alias')) options.networkAliases = flags.list('network-alias');
  if (flags.has('ip')) options.ipv4Address = flags.string('ip');
  if (flags.has('publish')) options.portBindings = parsed(() => parsePublishList(flags.list('publish')));
  if (flags.bool('publish-all')) options.publishAll = true;
  if (flags.has('expose')) options.exposedPorts = parsed(() => flags.list('expose').flatMap(parseExpose));
  if (flags.has('dns')) options.dns = flags.list('dns');
  if (flags.has('dns-search')) options.dnsSearch = flags.list('dns-search');
  if (flags.has('dns-option')) options.dnsOptions = flags.list('dns-option');
  if (flags.has('add-host')) options.extraHosts = flags.list('add-host');
  if (flags.has('device')) options.devices = flags.list('device');
  if (flags.has('device-cgroup-rule')) options.deviceCgroupRules = flags.list('device-cgroup-rule');
  if (flags.bool('privileged')) options.privileged = true;
  // --entrypoint "" resets the image's entrypoint, as docker sends [""].
  if (flags.has('entrypoint')) options.entrypoint = [flags.string('entrypoint') ?? ''];
  if (flags.has('stop-signal')) options.stopSignal = flags.string('stop-signal');
  if (flags.has('stop-timeout')) options.stopTimeout = flags.int('stop-timeout');
  if (flags.bool('rm')) options.autoRemove = true;
  const labels = [...fileLabels(flags), ...flags.list('label')];
  if (labels.length > 0) options.labels = keyValueMap(labels);
  return { ...options, ...hostOptions(cli, flags), ...policyOptions(flags) };
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
    const { parseReference, familiarString, withDefaultTag } = await import('../../oci/reference');
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
    const { parseReference } = await import('../../oci/reference');
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
