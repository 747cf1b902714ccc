// `strata inspect`: a JSON array of what each name is (a container first,
// then an image, a network, a volume), 4-space indented as docker prints it;
// -f renders a template per object instead. Names that are nothing print an
// error and exit 1.

import type { CommandModule } from '../command';
import { writeInspected } from '../inspectOutput';
import { OptionError, type Cli } from '../session';

const kinds = ['container', 'image', 'network', 'volume'] as const;
type Kind = (typeof kinds)[number];

const isNotFound = (err: unknown) => (err as { code?: string }).code === 'NotFound';

/** As docker looks a name up: a container, else an image, else a network, else a volume (or only the --type asked for). */
async function inspectOne(cli: Cli, ref: string, type: Kind | undefined): Promise<unknown> {
  const lookups: Record<Kind, () => Promise<unknown>> = {
    container: () => cli.client.call('container.inspect', { id: ref }),
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

export const inspect: CommandModule = {
  flags: [
    { name: 'format', short: 'f', type: 'string', help: 'Format output using a custom template' },
    { name: 'type', type: 'string', help: 'Return JSON for specified type (container, image, network or volume)' },
  ],
  args: { min: 1 },
  async run(cli, flags, refs) {
    const type = flags.string('type');
    if (type !== undefined && !kinds.includes(type as Kind)) {
      throw new OptionError(`"${type}" is not a valid value for --type`);
    }
    return writeInspected(cli, refs, flags.has('format') ? (flags.string('format') ?? '') : undefined, (ref) => inspectOne(cli, ref, type as Kind | undefined));
  },
};
