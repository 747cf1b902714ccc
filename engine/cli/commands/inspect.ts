// `strata inspect`: a JSON array of what each name is (a container first,
// then an image, a network, a volume), 4-space indented as docker prints it;
// -f renders a template per object instead; -s adds a container's sizes.
// Names that are nothing print an error and exit 1. `container inspect` and
// `image inspect` are the same with the type fixed.

import type { CommandModule } from '../command';
import type { FlagSpec, Flags } from '../flags';
import { writeInspected } from '../inspectOutput';
import { OptionError, type Cli } from '../session';

const kinds = ['container', 'image', 'network', 'volume'] as const;
type Kind = (typeof kinds)[number];

const isNotFound = (err: unknown) => (err as { code?: string }).code === 'NotFound';

/** As docker looks a name up: a container, else an image, else a network, else a volume (or only the --type asked for). */
async function inspectOne(cli: Cli, ref: string, type: Kind | undefined, size: boolean): Promise<unknown> {
  const lookups: Record<Kind, () => Promise<unknown>> = {
    container: () => cli.client.call('container.inspect', { id: ref, ...(size ? { size } : {}) }),
    image: () => cli.client.call('image.inspect', { ref }),
    network: () => cli.client.call('network.inspect', { ref }),
    volume: () => cli.client.call('volume.inspect', { name: ref }),
  };
  for (const kind of type ? [type] : kinds) {
    try {
      return await lookups[kind]();
    } catch (err) {
      if (type !== undefined || !isNotFound(err)) throw err;
    }
  }
  throw new Error(`No such object: ${ref}`);
}

function runInspect(cli: Cli, flags: Flags, refs: string[], type: Kind | undefined): Promise<number> {
  const format = flags.has('format') ? (flags.string('format') ?? '') : undefined;
  return writeInspected(cli, refs, format, (ref) => inspectOne(cli, ref, type, flags.bool('size')));
}

const formatFlag: FlagSpec = { name: 'format', short: 'f', type: 'string', help: 'Format the output using the given Go template' };
const sizeFlag: FlagSpec = { name: 'size', short: 's', type: 'bool', help: 'Display total file sizes if the type is container' };

export const inspect: CommandModule = {
  flags: [formatFlag, sizeFlag, { name: 'type', type: 'string', help: 'Return JSON for specified type' }],
  args: { min: 1 },
  run(cli, flags, refs) {
    const type = flags.string('type');
    if (type !== undefined && !kinds.includes(type as Kind)) {
      throw new OptionError(`"${type}" is not a valid value for --type`);
    }
    return runInspect(cli, flags, refs, type as Kind | undefined);
  },
};

export const containerInspect: CommandModule = {
  flags: [formatFlag, { ...sizeFlag, help: 'Display total file sizes' }],
  args: { min: 1 },
  run: (cli, flags, refs) => runInspect(cli, flags, refs, 'container'),
};

export const imageInspect: CommandModule = {
  flags: [formatFlag],
  args: { min: 1 },
  run: (cli, flags, refs) => runInspect(cli, flags, refs, 'image'),
};
