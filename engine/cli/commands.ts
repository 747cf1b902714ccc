// The command table: what `strata --help` lists and how each command's
// module is found. Modules load only when their command runs, so start-up
// pays for one command, never for the engine when printing help.
// `operations` holds each operation once; the top-level table and the
// management groups (`strata container ls` = `strata ps`, commands/groups.ts)
// both name their entries from it. A new command is one more operation, one
// line in a table, and one module under commands/.

import type { CommandEntry } from './command';

type Operation = Omit<CommandEntry, 'name'>;

const op = (usage: string, summary: string, load: CommandEntry['load']): Operation => ({ usage, summary, load });

export const operations = {
  attach: op('[OPTIONS] CONTAINER', 'Attach local standard input, output, and error streams to a running container', async () => (await import('./commands/attach')).attach),
  build: op('[OPTIONS] PATH | -', 'Build an image from a Dockerfile', async () => (await import('./commands/build')).build),
  commit: op('[OPTIONS] CONTAINER [REPOSITORY[:TAG]]', "Create a new image from a container's changes", async () => (await import('./commands/commit')).commit),
  cp: op(
    '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tstrata cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    'Copy files/folders between a container and the local filesystem',
    async () => (await import('./commands/cp')).cp,
  ),
  create: op('[OPTIONS] IMAGE [COMMAND] [ARG...]', 'Create a new container', async () => (await import('./commands/create')).create),
  diff: op('CONTAINER', "Inspect changes to files or directories on a container's filesystem", async () => (await import('./commands/diff')).diff),
  events: op('[OPTIONS]', 'Get real time events from the engine', async () => (await import('./commands/events')).events),
  exec: op('[OPTIONS] CONTAINER COMMAND [ARG...]', 'Run a command in a running container', async () => (await import('./commands/exec')).exec),
  export: op('[OPTIONS] CONTAINER', "Export a container's filesystem as a tar archive", async () => (await import('./commands/export')).exportContainer),
  history: op('[OPTIONS] IMAGE', 'Show the history of an image', async () => (await import('./commands/history')).history),
  images: op('[OPTIONS] [REPOSITORY[:TAG]]', 'List images', async () => (await import('./commands/images')).images),
  import: op('[OPTIONS] file|- [REPOSITORY[:TAG]]', 'Import the contents from a tarball to create a filesystem image', async () => (await import('./commands/import')).importImage),
  info: op('[OPTIONS]', 'Display system-wide information', async () => (await import('./commands/system')).info),
  kill: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Kill one or more running containers', async () => (await import('./commands/lifecycle')).kill),
  load: op('[OPTIONS]', 'Load an image from a tar archive or STDIN', async () => (await import('./commands/load')).load),
  logs: op('[OPTIONS] CONTAINER', 'Fetch the logs of a container', async () => (await import('./commands/logs')).logs),
  pause: op('CONTAINER [CONTAINER...]', 'Pause all processes within one or more containers', async () => (await import('./commands/lifecycle')).pause),
  port: op('CONTAINER [PRIVATE_PORT[/PROTO]]', 'List port mappings or a specific mapping for the container', async () => (await import('./commands/port')).port),
  ps: op('[OPTIONS]', 'List containers', async () => (await import('./commands/ps')).ps),
  pull: op('[OPTIONS] NAME[:TAG|@DIGEST]', 'Pull an image or a repository from a registry', async () => (await import('./commands/pull')).pull),
  push: op('[OPTIONS] NAME[:TAG]', 'Push an image or a repository to a registry', async () => (await import('./commands/push')).push),
  rename: op('CONTAINER NEW_NAME', 'Rename a container', async () => (await import('./commands/rename')).rename),
  restart: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Restart one or more containers', async () => (await import('./commands/lifecycle')).restart),
  rm: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Remove one or more containers', async () => (await import('./commands/lifecycle')).rm),
  rmi: op('[OPTIONS] IMAGE [IMAGE...]', 'Remove one or more images', async () => (await import('./commands/rmi')).rmi),
  run: op('[OPTIONS] IMAGE [COMMAND] [ARG...]', 'Run a command in a new container', async () => (await import('./commands/run')).run),
  save: op('[OPTIONS] IMAGE [IMAGE...]', 'Save one or more images to a tar archive (streamed to STDOUT by default)', async () => (await import('./commands/save')).save),
  start: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Start one or more stopped containers', async () => (await import('./commands/start')).start),
  stats: op('[OPTIONS] [CONTAINER...]', 'Display a live stream of container(s) resource usage statistics', async () => (await import('./commands/stats')).stats),
  stop: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Stop one or more running containers', async () => (await import('./commands/lifecycle')).stop),
  tag: op('SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', async () => (await import('./commands/tag')).tag),
  top: op('CONTAINER [ps OPTIONS]', 'Display the running processes of a container', async () => (await import('./commands/top')).top),
  unpause: op('CONTAINER [CONTAINER...]', 'Unpause all processes within one or more containers', async () => (await import('./commands/lifecycle')).unpause),
  update: op('[OPTIONS] CONTAINER [CONTAINER...]', 'Update configuration of one or more containers', async () => (await import('./commands/update')).update),
  wait: op('CONTAINER [CONTAINER...]', 'Block until one or more containers stop, then print their exit codes', async () => (await import('./commands/wait')).wait),
} satisfies Record<string, Operation>;

type OperationName = keyof typeof operations;

/** A table entry for `name`, from an operation. */
export const entry = (name: string, operation: Operation, aliases?: string[]): CommandEntry => ({ name, ...operation, ...(aliases ? { aliases } : {}) });

const group = (name: string, summary: string, exported: string): CommandEntry => ({
  name,
  usage: 'COMMAND',
  summary,
  group: true,
  load: async () => (await import('./commands/groups'))[exported as 'container'],
});

const topLevel: OperationName[] = [
  'attach', 'build', 'commit', 'cp', 'create', 'diff', 'events', 'exec', 'export', 'history', 'images', 'import', 'info',
  'kill', 'load', 'logs', 'pause', 'port', 'ps', 'pull', 'push', 'rename', 'restart', 'rm', 'rmi', 'run', 'save', 'start',
  'stats', 'stop', 'tag', 'top', 'unpause', 'update', 'wait',
];

export const commands: readonly CommandEntry[] = [
  group('completion', 'Generate the autocompletion script for the specified shell', 'completion'),
  group('container', 'Manage containers', 'container'),
  group('image', 'Manage images', 'image'),
  {
    name: 'manifest',
    usage: 'COMMAND',
    summary: 'Manage Docker image manifests and manifest lists',
    group: true,
    load: async () => (await import('./commands/manifest')).manifest,
  },
  {
    name: 'network',
    usage: 'COMMAND',
    summary: 'Manage networks',
    group: true,
    load: async () => (await import('./commands/network')).network,
  },
  group('system', 'Manage Strata', 'system'),
  {
    name: 'volume',
    usage: 'COMMAND',
    summary: 'Manage volumes',
    group: true,
    load: async () => (await import('./commands/volume')).volume,
  },
  ...topLevel.map((name) => entry(name, operations[name])),
  {
    name: 'bootstrap',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    summary: "Make a starter image from this machine's programs",
    load: async () => (await import('./commands/bootstrap')).bootstrap,
  },
  {
    name: 'gui',
    usage: '[OPTIONS]',
    summary: 'Open the desktop app (Electron, or --browser: serve it on 127.0.0.1)',
    load: async () => (await import('./commands/gui')).gui,
  },
  {
    name: 'inspect',
    usage: '[OPTIONS] NAME|ID [NAME|ID...]',
    summary: 'Return low-level information on Strata objects',
    load: async () => (await import('./commands/inspect')).inspect,
  },
  {
    name: 'login',
    usage: '[OPTIONS] [SERVER]',
    summary: 'Log in to a Docker registry',
    load: async () => (await import('./commands/login')).login,
  },
  {
    name: 'logout',
    usage: '[SERVER]',
    summary: 'Log out from a Docker registry',
    load: async () => (await import('./commands/login')).logout,
  },
  {
    name: 'search',
    usage: '[OPTIONS] TERM',
    summary: 'Search Docker Hub for images',
    load: async () => (await import('./commands/search')).search,
  },
  {
    name: 'version',
    usage: '[OPTIONS]',
    summary: 'Show the Strata version information',
    load: async () => (await import('./commands/system')).version,
  },
].sort((a, b) => (a.name < b.name ? -1 : 1));

export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}
