// What a command is: its line in the command table (loaded at start-up, so it
// must stay cheap) and the module that runs it (required only when chosen).

import type { FlagSpec, Flags } from './flags';
import type { Cli } from './session';

/** How many positional arguments a command takes, as the docker CLI's cobra rules. */
export interface ArgRule {
  min?: number;
  max?: number;
}

export interface CommandModule {
  flags: readonly FlagSpec[];
  args: ArgRule;
  /** false: flags stop at the first positional (run, create, exec). */
  interspersed?: boolean;
  /** Runs the command; resolves to the exit code. */
  run(cli: Cli, flags: Flags, args: string[]): Promise<number>;
  /** Exit code for an error the command did not handle itself; 1 when absent, as most docker commands. */
  failureCode?(err: unknown): number;
}

export interface CommandEntry {
  name: string;
  /** What follows `strata <name>` in the usage line. */
  usage: string;
  summary: string;
  /** The longer text help shows instead of the summary, when there is one. */
  description?: string;
  /** Other names of a group's subcommand (`container ls`: ps, list), shown in its help. */
  aliases?: string[];
  /** A management command (container, image, system...): listed apart in `strata --help`. */
  group?: boolean;
  load(): Promise<CommandModule>;
}
