// Command groups, as the docker CLI's management commands: `strata image
// prune`, `strata system df`. A group is one line of the command table whose
// module finds the subcommand and runs it like any other command, named
// "image prune" in its help and errors.

import type { CommandEntry, CommandModule } from './command';
import { runCommand } from './main';

/** A subcommand whose module is already loaded (the group's own file defines it). */
export function subcommand(name: string, usage: string, summary: string, module: CommandModule): CommandEntry {
  return { name, usage, summary, load: async () => module };
}

export function commandGroup(group: string, summary: string, subcommands: readonly CommandEntry[]): CommandModule {
  const help = () => {
    const width = Math.max(...subcommands.map((c) => c.name.length)) + 3;
    const lines = subcommands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
    return `\nUsage:  strata ${group} COMMAND\n\n${summary}\n\nCommands:\n${lines.join('\n')}\n\nRun 'strata ${group} COMMAND --help' for more information on a command.\n`;
  };
  return {
    flags: [],
    args: {},
    interspersed: false,
    async run(cli, _flags, args) {
      const [name, ...rest] = args;
      if (name === undefined) {
        cli.out(help());
        return 0;
      }
      const sub = subcommands.find((c) => c.name === name);
      if (!sub) {
        cli.err(`strata: '${group} ${name}' is not a strata command.\nSee 'strata ${group} --help'\n`);
        return 1;
      }
      return runCommand(cli, { ...sub, name: `${group} ${sub.name}` }, rest);
    },
  };
}
