// The command table: what `strata --help` lists and how each command's
// module is found. Modules load only when their command runs, so start-up
// pays for one command, never for the engine when printing help.
// New commands are one more entry here and one module under commands/.

import type { CommandEntry } from './command';

export const commands: readonly CommandEntry[] = [
  {
    name: 'bootstrap',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    summary: "Make a starter image from this machine's programs",
    load: async () => (await import('./commands/bootstrap')).bootstrap,
  },
  {
    name: 'build',
    usage: '[OPTIONS] PATH | -',
    summary: 'Build an image from a Dockerfile',
    load: async () => (await import('./commands/build')).build,
  },
  {
    name: 'commit',
    usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
    summary: "Create a new image from a container's changes",
    load: async () => (await import('./commands/commit')).commit,
  },
  {
    name: 'cp',
    usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tstrata cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    summary: 'Copy files/folders between a container and the local filesystem',
    load: async () => (await import('./commands/cp')).cp,
  },
  {
    name: 'create',
    usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
    summary: 'Create a new container',
    load: async () => (await import('./commands/create')).create,
  },
  {
    name: 'diff',
    usage: 'CONTAINER',
    summary: "Inspect changes to files or directories on a container's filesystem",
    load: async () => (await import('./commands/diff')).diff,
  },
  {
    name: 'events',
    usage: '[OPTIONS]',
    summary: 'Get real time events from the engine',
    load: async () => (await import('./commands/events')).events,
  },
  {
    name: 'exec',
    usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
    summary: 'Run a command in a running container',
    load: async () => (await import('./commands/exec')).exec,
  },
  {
    name: 'export',
    usage: '[OPTIONS] CONTAINER',
    summary: "Export a container's filesystem as a tar archive",
    load: async () => (await import('./commands/export')).exportContainer,
  },
  {
    name: 'gui',
    usage: '[OPTIONS]',
    summary: 'Open the desktop app (Electron, or --browser: serve it on 127.0.0.1)',
    load: async () => (await import('./commands/gui')).gui,
  },
  {
    name: 'history',
    usage: '[OPTIONS] IMAGE',
    summary: 'Show the history of an image',
    load: async () => (await import('./commands/history')).history,
  },
  {
    name: 'image',
    usage: 'COMMAND',
    summary: 'Manage images',
    load: async () => (await import('./commands/groups')).image,
  },
  {
    name: 'images',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    summary: 'List images',
    load: async () => (await import('./commands/images')).images,
  },
  {
    name: 'import',
    usage: '[OPTIONS] file|- [REPOSITORY[:TAG]]',
    summary: 'Import the contents from a tarball to create a filesystem image',
    load: async () => (await import('./commands/import')).importImage,
  },
  {
    name: 'info',
    usage: '[OPTIONS]',
    summary: 'Display system-wide information',
    load: async () => (await import('./commands/system')).info,
  },
  {
    name: 'inspect',
    usage: '[OPTIONS] NAME|ID [NAME|ID...]',
    summary: 'Return low-level information on Strata objects',
    load: async () => (await import('./commands/inspect')).inspect,
  },
  {
    name: 'kill',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Kill one or more running containers',
    load: async () => (await import('./commands/lifecycle')).kill,
  },
  {
    name: 'load',
    usage: '[OPTIONS]',
    summary: 'Load an image from a tar archive or STDIN',
    load: async () => (await import('./commands/load')).load,
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
    name: 'logs',
    usage: '[OPTIONS] CONTAINER',
    summary: 'Fetch the logs of a container',
    load: async () => (await import('./commands/logs')).logs,
  },
  {
    name: 'manifest',
    usage: 'COMMAND',
    summary: 'Manage Docker image manifests and manifest lists',
    load: async () => (await import('./commands/manifest')).manifest,
  },
  {
    name: 'network',
    usage: 'COMMAND',
    summary: 'Manage networks',
    load: async () => (await import('./commands/network')).network,
  },
  {
    name: 'pause',
    usage: 'CONTAINER [CONTAINER...]',
    summary: 'Pause all processes within one or more containers',
    load: async () => (await import('./commands/lifecycle')).pause,
  },
  {
    name: 'port',
    usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
    summary: 'List port mappings or a specific mapping for the container',
    load: async () => (await import('./commands/port')).port,
  },
  {
    name: 'ps',
    usage: '[OPTIONS]',
    summary: 'List containers',
    load: async () => (await import('./commands/ps')).ps,
  },
  {
    name: 'pull',
    usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
    summary: 'Pull an image or a repository from a registry',
    load: async () => (await import('./commands/pull')).pull,
  },
  {
    name: 'push',
    usage: '[OPTIONS] NAME[:TAG]',
    summary: 'Push an image or a repository to a registry',
    load: async () => (await import('./commands/push')).push,
  },
  {
    name: 'rename',
    usage: 'CONTAINER NEW_NAME',
    summary: 'Rename a container',
    load: async () => (await import('./commands/rename')).rename,
  },
  {
    name: 'restart',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Restart one or more containers',
    load: async () => (await import('./commands/lifecycle')).restart,
  },
  {
    name: 'rm',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Remove one or more containers',
    load: async () => (await import('./commands/lifecycle')).rm,
  },
  {
    name: 'rmi',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: 'Remove one or more images',
    load: async () => (await import('./commands/rmi')).rmi,
  },
  {
    name: 'run',
    usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
    summary: 'Run a command in a new container',
    load: async () => (await import('./commands/run')).run,
  },
  {
    name: 'save',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
    load: async () => (await import('./commands/save')).save,
  },
  {
    name: 'search',
    usage: '[OPTIONS] TERM',
    summary: 'Search Docker Hub for images',
    load: async () => (await import('./commands/search')).search,
  },
  {
    name: 'start',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Start one or more stopped containers',
    load: async () => (await import('./commands/start')).start,
  },
  {
    name: 'stats',
    usage: '[OPTIONS] [CONTAINER...]',
    summary: "Display a live stream of container(s) resource usage statistics",
    load: async () => (await import('./commands/stats')).stats,
  },
  {
    name: 'stop',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Stop one or more running containers',
    load: async () => (await import('./commands/lifecycle')).stop,
  },
  {
    name: 'system',
    usage: 'COMMAND',
    summary: 'Manage Strata',
    load: async () => (await import('./commands/groups')).system,
  },
  {
    name: 'tag',
    usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
    summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
    load: async () => (await import('./commands/tag')).tag,
  },
  {
    name: 'top',
    usage: 'CONTAINER [ps OPTIONS]',
    summary: 'Display the running processes of a container',
    load: async () => (await import('./commands/top')).top,
  },
  {
    name: 'unpause',
    usage: 'CONTAINER [CONTAINER...]',
    summary: 'Unpause all processes within one or more containers',
    load: async () => (await import('./commands/lifecycle')).unpause,
  },
  {
    name: 'update',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: 'Update configuration of one or more containers',
    load: async () => (await import('./commands/update')).update,
  },
  {
    name: 'version',
    usage: '[OPTIONS]',
    summary: 'Show the Strata version information',
    load: async () => (await import('./commands/system')).version,
  },
  {
    name: 'volume',
    usage: 'COMMAND',
    summary: 'Manage volumes',
    load: async () => (await import('./commands/volume')).volume,
  },
  {
    name: 'wait',
    usage: 'CONTAINER [CONTAINER...]',
    summary: 'Block until one or more containers stop, then print their exit codes',
    load: async () => (await import('./commands/wait')).wait,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}
