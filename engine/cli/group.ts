// Command groups, as the docker CLI's management commands: `strata image
// prune`, `strata container ls` (or ps, or list). A group is one line of
// the command table whose module finds the subcommand, by name or alias,
// and runs it like any other command, named "container ls" in its help and
// errors. Without a subcommand, or with one it does not know, it prints its
// own help to stderr, as docker does (exit 0, or 1).

import type { CommandEntry, CommandModule } from './command';
import { commandList } from './help';
import { runCommand } from './main';

export interface CommandGroup extends CommandModule {
  subcommands: readonly CommandEntry[];
}

/** A subcommand whose module is already loaded (the group's own file defines it). */
export function subcommand(name: string, usage: string, summary: string, module: CommandModule): CommandEntry {
  return { name, usage, summary, load: async () => module };
}

export function findSubcommand(subcommands: readonly CommandEntry[], name: string): CommandEntry | undefined {
  return subcommands.find((c) => c.name === name || c.aliases?.includes(name));
}

export function groupHelp(group: string, summary: string, subcommands: readonly CommandEntry[], description = summary): string {
  return `\nUsage:  strata ${group} COMMAND\n\n${description}\n\nCommands:\n${commandList(subcommands)}\n\nRun 'strata ${group} COMMAND --help' for more information on a command.\n`;
}

export function commandGroup(group: string, summary: string, subcommands: readonly CommandEntry[], description?: string): CommandGroup {
  return {
    subcommands,
    flags: [],
    args: {},
    interspersed: false,
    async run(cli, _flags, args) {
      const [name, ...rest] = args;
      const sub = name === undefined ? undefined : findSubcommand(subcommands, name);
      if (!sub) {
        cli.err(groupHelp(group, summary, subcommands, description));
        return name === undefined ? 0 : 1;
      }
      return runCommand(cli, { ...sub, name: `${group} ${sub.name}` }, rest);
    },
  };
}
