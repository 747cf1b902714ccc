// `strata update [OPTIONS] CONTAINER...`: new limits for containers, as
// docker's: each container updated is printed as named, then the engine's
// warnings; failures are reported together at the end.

import type { CommandModule } from '../command';
import { OptionError, messageOf } from '../session';
import { kernelMemoryDiscarded, kernelMemoryFlag, resourceFlags, resourceOptions } from './limitFlags';

export const update: CommandModule = {
  flags: [...resourceFlags, kernelMemoryFlag],
  args: { min: 1 },
  async run(cli, flags, args) {
    const options = resourceOptions(flags);
    if (Object.keys(options).length === 0 && !flags.has('kernel-memory')) throw new OptionError('you must provide one or more flags when using this command');
    const warnings: string[] = [];
    const failures: string[] = [];
    for (const id of args) {
      try {
        warnings.push(...(await cli.client.call('container.update', { id, ...options })).warnings);
        // dockerd's warning for each container, the engine having no kernel memory limit to apply.
        if (flags.has('kernel-memory')) warnings.push(kernelMemoryDiscarded);
        cli.out(`${id}\n`);
      } catch (err) {
        failures.push(messageOf(err));
      }
    }
    if (warnings.length > 0) cli.out(`${warnings.join('\n')}\n`);
    if (failures.length > 0) throw new Error(failures.join('\n'));
    return 0;
  },
};
