// The management commands, as docker has them: `strata container COMMAND`,
// `strata image COMMAND`, `strata system COMMAND` run the same operations
// as the top-level commands (`container ls` = `ps`, `image rm` = `rmi`),
// plus what only a group has (prune, df, the typed inspects); and
// `strata completion SHELL`.

import type { CommandEntry } from '../command';
import { entry, operations as op } from '../commands';
import { commandGroup } from '../group';

const containerCommands: readonly CommandEntry[] = [
  entry('attach', op.attach),
  entry('commit', op.commit),
  entry('cp', op.cp),
  entry('create', op.create),
  entry('diff', op.diff),
  entry('exec', op.exec),
  entry('export', op.export),
  {
    name: 'inspect',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Display detailed information on one or more containers',
    load: async () => (await import('./inspect')).containerInspect,
  },
  entry('kill', op.kill),
  entry('logs', op.logs),
  entry('ls', op.ps, ['ps', 'list']),
  entry('pause', op.pause),
  entry('port', op.port),
  { name: 'prune', usage: '[OPTIONS]', summary: 'Remove all stopped containers', load: async () => (await import('./prune')).containerPrune },
  entry('rename', op.rename),
  entry('restart', op.restart),
  entry('rm', op.rm),
  entry('run', op.run),
  entry('start', op.start),
  entry('stats', op.stats),
  entry('stop', op.stop),
  entry('top', op.top),
  entry('unpause', op.unpause),
  entry('update', op.update),
  entry('wait', op.wait),
];

const imageCommands: readonly CommandEntry[] = [
  entry('build', op.build),
  entry('history', op.history),
  entry('import', op.import),
  {
    name: 'inspect',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: 'Display detailed information on one or more images',
    load: async () => (await import('./inspect')).imageInspect,
  },
  entry('load', op.load),
  entry('ls', op.images, ['list']),
  { name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused images', load: async () => (await import('./prune')).imagePrune },
  entry('pull', op.pull),
  entry('push', op.push),
  entry('rm', op.rmi, ['rmi', 'remove']),
  entry('save', op.save),
  entry('tag', op.tag),
];

const systemCommands: readonly CommandEntry[] = [
  {
    name: 'boot',
    usage: '',
    summary: 'Start the containers whose restart policy says so, as a daemon would as it starts (run it at boot)',
    load: async () => (await import('./systemBoot')).systemBoot,
  },
  {
    name: 'check',
    usage: '[OPTIONS]',
    summary: 'Check the store, the containers and what the kernel holds for them after a crash; --repair repairs',
    load: async () => (await import('./systemCheck')).systemCheck,
  },
  { name: 'df', usage: '[OPTIONS]', summary: 'Show Strata disk usage', load: async () => (await import('./systemDf')).systemDf },
  entry('events', op.events),
  entry('info', op.info),
  { name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused data', load: async () => (await import('./prune')).systemPrune },
  { name: 'service', usage: '[OPTIONS]', summary: 'Serve the Docker Engine API, for docker, compose and docker-py', load: async () => (await import('./service')).service },
];

const loadEvery: Record<string, string> = {
  bash: 'strata completion bash > /etc/bash_completion.d/strata',
  fish: 'strata completion fish > ~/.config/fish/completions/strata.fish',
  zsh: 'strata completion zsh > "${fpath[1]}/_strata"',
};
const loadNow: Record<string, string> = {
  bash: 'source <(strata completion bash)',
  fish: 'strata completion fish | source',
  zsh: 'source <(strata completion zsh)',
};

const completionCommands: readonly CommandEntry[] = (['bash', 'fish', 'zsh'] as const).map((shell) => ({
  name: shell,
  usage: '',
  summary: `Generate the autocompletion script for ${shell}`,
  description:
    `Generate the autocompletion script for the ${shell} shell: commands, flags, and the names of containers and images in the store.\n\n` +
    `To load completions in your current shell session:\n\n\t${loadNow[shell]}\n\n` +
    `To load completions for every new session, execute once:\n\n\t${loadEvery[shell]}\n\n` +
    'The Strata deb package installs the scripts of all three shells.',
  load: async () => (await import('./completion')).completionCommand(shell),
}));

export const container = commandGroup('container', 'Manage containers', containerCommands);
export const image = commandGroup('image', 'Manage images', imageCommands);
export const system = commandGroup('system', 'Manage Strata', systemCommands);
export const completion = commandGroup(
  'completion',
  'Generate the autocompletion script for the specified shell',
  completionCommands,
  "Generate the autocompletion script for strata for the specified shell.\nSee each sub-command's help for details on how to use the generated script.",
);
