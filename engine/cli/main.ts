// `strata`: finds the command, parses its flags, runs it and turns the
// outcome into docker's exit codes (125 for a bad flag, 1 for a wrong number
// of arguments or a failed request, 125/126/127 where run and exec say so).
// Only the table, the parser and the help texts load before a command is
// chosen; each command's module and the engine load on demand.

import { commands, findCommand } from './commands';
import type { CommandEntry, CommandModule } from './command';
import { FlagError, parseFlags } from './flags';
import type { CommandGroup } from './group';
import { argCountError, commandHelp, flagErrorText, helpColumns, topLevelHelp } from './help';
import { Cli, EngineUnreachable, OptionError, whenFlushed } from './session';

const isGroup = (command: CommandModule): command is CommandGroup => 'subcommands' in command;

/** The help page of a command or a group. */
async function helpOf(entry: CommandEntry, command: CommandModule): Promise<string> {
  if (!isGroup(command)) return commandHelp(entry, command.flags, helpColumns());
  const { groupHelp } = await import('./group');
  return groupHelp(entry.name, entry.summary, command.subcommands, entry.description);
}

/** Parses a command's flags and runs it (also used by command groups: `strata image prune`). */
export async function runCommand(cli: Cli, entry: CommandEntry, argv: string[]): Promise<number> {
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseFlags(command.flags, argv, command.interspersed ?? true);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    cli.err(flagErrorText(entry, err.message));
    return 125;
  }
  if (parsed.help) {
    cli.out(await helpOf(entry, command));
    return 0;
  }
  const countError = argCountError(entry, command.args, parsed.args.length);
  if (countError) {
    cli.err(countError);
    return 1;
  }
  try {
    return await command.run(cli, parsed.flags, parsed.args);
  } catch (err) {
    cli.error(err);
    if (err instanceof OptionError) return 125;
    if (err instanceof EngineUnreachable) return 1;
    return command.failureCode ? command.failureCode(err) : 1;
  }
}

/** Runs `strata <argv...>`; resolves to the process's exit code. */
export async function main(argv: string[], cli = new Cli()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    cli.out(topLevelHelp(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    const { buildInfo } = await import('./buildInfo');
    const build = buildInfo();
    cli.out(`Strata version ${build.version}, build ${build.commit}\n`);
    return 0;
  }
  if (first === 'help') return help(cli, rest);
  if (first === '__complete') {
    const { complete } = await import('./completion/complete');
    return complete(cli, rest);
  }
  if (first.startsWith('-')) {
    cli.err(`unknown ${first.startsWith('--') ? `flag: ${first.split('=')[0]}` : `shorthand flag: '${first[1]}' in ${first}`}\nSee 'strata --help'.\n`);
    return 125;
  }
  const entry = findCommand(first);
  if (!entry) {
    cli.err(`strata: '${first}' is not a strata command.\nSee 'strata --help'\n`);
    return 1;
  }
  try {
    return await runCommand(cli, entry, rest);
  } finally {
    cli.close();
  }
}

/** `strata help [COMMAND [SUBCOMMAND]]`: cobra's help command. */
async function help(cli: Cli, words: string[]): Promise<number> {
  if (words.length === 0) {
    cli.out(topLevelHelp(commands));
    return 0;
  }
  let entry = findCommand(words[0]);
  let command = entry && (await entry.load());
  if (entry && command && words.length === 2 && isGroup(command)) {
    const { findSubcommand } = await import('./group');
    const sub = findSubcommand(command.subcommands, words[1]);
    entry = sub && { ...sub, name: `${entry.name} ${sub.name}` };
    command = sub && (await sub.load());
  } else if (words.length > 1) entry = undefined;
  if (!entry || !command) {
    cli.err(`unknown help topic: ${words.join(' ')}\n`);
    return 1;
  }
  cli.out(await helpOf(entry, command));
  return 0;
}

/** The entry point bin/strata calls. */
export function start(argv: string[]): void {
  main(argv).then(
    (code) => exitWhenFlushed(code),
    (err) => {
      new Cli().error(err);
      exitWhenFlushed(1);
    },
  );
}

// The engine may hold handles (its database, a monitor's socket) that would
// keep Node alive; exit explicitly once what was written has been handed over.
function exitWhenFlushed(code: number): void {
  whenFlushed(() => process.exit(code));
}
