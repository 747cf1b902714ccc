// `strata completion bash|zsh|fish`: prints the shell's completion script
// (completion/scripts.ts), with how to load it, as docker's cobra
// completion command words it. The deb package installs all three.

import type { CommandModule } from '../command';
import { completionScript, type Shell } from '../completion/scripts';

export function completionCommand(shell: Shell): CommandModule {
  return {
    flags: [],
    args: { max: 0 },
    async run(cli) {
      cli.out(completionScript(shell));
      return 0;
    },
  };
}
