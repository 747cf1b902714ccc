// `strata inspect`: a JSON array of what each name is (a container first,
// then an image), 4-space indented as docker prints it; -f renders a
// template per object instead; -s adds a container's sizes. Names that are
// nothing print an error and exit 1. `container inspect` and `image
// inspect` are the same with the type fixed.

import type { ContainerInspect, ImageInspect } from '../../inspect';
import type { CommandModule } from '../command';
import type { FlagSpec, Flags } from '../flags';
import { goJsonIndent } from '../gojson';
import { OptionError, type Cli } from '../session';
import { parseTemplate } from '../template';

type Kind = 'container' | 'image';

const isNotFound = (err: unknown) => (err as { code?: string }).code === 'NotFound';

async function inspectOne(cli: Cli, ref: string, type: Kind | undefined, size: boolean): Promise<ContainerInspect | ImageInspect> {
  if (type !== 'image') {
    try {
      return await cli.client.call('container.inspect', { id: ref, ...(size ? { size } : {}) });
    } catch (err) {
      if (type === 'container' || !isNotFound(err)) throw err;
    }
  }
  try {
    return await cli.client.call('image.inspect', { ref });
  } catch (err) {
    if (type === undefined && isNotFound(err)) throw new Error(`No such object: ${ref}`);
    throw err;
  }
}

async function runInspect(cli: Cli, flags: Flags, refs: string[], type: Kind | undefined): Promise<number> {
  const template = flags.has('format') ? parseTemplate(flags.string('format') ?? '') : undefined;
  const found: unknown[] = [];
  const errors: unknown[] = [];
  for (const ref of refs) {
    try {
      found.push(await inspectOne(cli, ref, type, flags.bool('size')));
    } catch (err) {
      errors.push(err);
    }
  }
  if (template) for (const object of found) cli.out(template.render(object) + '\n');
  else cli.out(goJsonIndent(found, '    ') + '\n');
  for (const err of errors) cli.error(err);
  return errors.length > 0 ? 1 : 0;
}

const formatFlag: FlagSpec = { name: 'format', short: 'f', type: 'string', help: 'Format the output using the given Go template' };
const sizeFlag: FlagSpec = { name: 'size', short: 's', type: 'bool', help: 'Display total file sizes if the type is container' };

export const inspect: CommandModule = {
  flags: [formatFlag, sizeFlag, { name: 'type', type: 'string', help: 'Return JSON for specified type' }],
  args: { min: 1 },
  run(cli, flags, refs) {
    const type = flags.string('type');
    if (type !== undefined && type !== 'container' && type !== 'image') {
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
