// `strata system check [--repair] [--verify-content]`: what a crash left (a
// killed CLI, app or monitor, a power cut), one line per problem, saying what
// --repair does about it; with --repair, what it did. Exits 0 when nothing is
// wrong any more, 1 otherwise.

import type { CommandModule } from '../command';

export const systemCheck: CommandModule = {
  flags: [
    { name: 'repair', type: 'bool', help: 'Repair what can be repaired' },
    { name: 'verify-content', type: 'bool', help: 'Also hash every blob against its digest' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const repair = flags.bool('repair');
    const { findings } = await cli.client.call('system.check', { repair, verifyContent: flags.bool('verify-content') });
    for (const x of findings) {
      if (x.repaired) cli.out(`repaired: ${x.problem} (${x.repair})\n`);
      else if (!x.repair) cli.out(`${x.problem} (not repairable here)\n`);
      else cli.out(`${x.problem} (${repair ? x.repair : `--repair: ${x.repair}`})\n`);
    }
    const left = findings.filter((x) => !x.repaired).length;
    if (findings.length === 0) cli.out('No problems found.\n');
    else cli.out(`${findings.length} problem${findings.length === 1 ? '' : 's'} found, ${findings.length - left} repaired.\n`);
    return left === 0 ? 0 : 1;
  },
};
