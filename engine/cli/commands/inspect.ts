// `strata inspect`: a JSON array of what each name is (a container first,
// then an image), 4-space indented as docker prints it; -f renders a
// template per object instead. Names that are nothing print an error and exit 1.

import type { ContainerInspect, ImageInspect } from '../../inspect';
import type { CommandModule } from '../command';
import { goJsonIndent } from '../gojson';
import { OptionError, type Cli } from '../session';
import { parseTemplate } from '../template';

type Kind = 'container' | 'image';

const isNotFound = (err: unknown) => (err as { code?: string }).code === 'NotFound';

async function inspectOne(cli: Cli, ref: string, type: Kind | undefined): Promise<ContainerInspect | ImageInspect> {
  if (type !== 'image') {
    try {
      return await cli.client.call('container.inspect', { id: ref });
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

export const inspect: CommandModule = {
  flags: [
    { name: 'format', short: 'f', type: 'string', help: 'Format output using a custom template' },
    { name: 'type', type: 'string', help: 'Return JSON for specified type (container or image)' },
  ],
  args: { min: 1 },
  async run(cli, flags, refs) {
    const type = flags.string('type');
    if (type !== undefined && type !== 'container' && type !== 'image') {
      throw new OptionError(`"${type}" is not a valid value for --type`);
    }
    const template = flags.has('format') ? parseTemplate(flags.string('format') ?? '') : undefined;
    const found: unknown[] = [];
    const errors: unknown[] = [];
    for (const ref of refs) {
      try {
        found.push(await inspectOne(cli, ref, type as Kind | undefined));
      } catch (err) {
        errors.push(err);
      }
    }
    if (template) for (const object of found) cli.out(template.render(object) + '\n');
    else cli.out(goJsonIndent(found, '    ') + '\n');
    for (const err of errors) cli.error(err);
    return errors.length > 0 ? 1 : 0;
  },
};
