// The management commands: `strata image COMMAND` and `strata system COMMAND`,
// docker's names for the same commands as the top-level ones (plus prune and df).

import type { CommandEntry } from '../command';
import { commandGroup } from '../group';

const imageCommands: readonly CommandEntry[] = [
  { name: 'history', usage: '[OPTIONS] IMAGE', summary: 'Show the history of an image', load: async () => (await import('./history')).history },
  { name: 'import', usage: '[OPTIONS] file|- [REPOSITORY[:TAG]]', summary: 'Import the contents from a tarball to create a filesystem image', load: async () => (await import('./import')).importImage },
  { name: 'load', usage: '[OPTIONS]', summary: 'Load an image from a tar archive or STDIN', load: async () => (await import('./load')).load },
  { name: 'ls', usage: '[OPTIONS] [REPOSITORY[:TAG]]', summary: 'List images', load: async () => (await import('./images')).images },
  { name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused images', load: async () => (await import('./imagePrune')).imagePrune },
  { name: 'pull', usage: '[OPTIONS] NAME[:TAG|@DIGEST]', summary: 'Pull an image or a repository from a registry', load: async () => (await import('./pull')).pull },
  { name: 'push', usage: '[OPTIONS] NAME[:TAG]', summary: 'Push an image or a repository to a registry', load: async () => (await import('./push')).push },
  { name: 'rm', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Remove one or more images', load: async () => (await import('./rmi')).rmi },
  { name: 'save', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)', load: async () => (await import('./save')).save },
  { name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: async () => (await import('./tag')).tag },
];

const systemCommands: readonly CommandEntry[] = [
  {
    name: 'check',
    usage: '',
    summary: 'Clean what a killed engine or container monitor left: namespaces, veths, ports, firewall rules, addresses',
    load: async () => (await import('./systemCheck')).systemCheck,
  },
  { name: 'df', usage: '[OPTIONS]', summary: 'Show engine disk usage', load: async () => (await import('./systemDf')).systemDf },
  { name: 'events', usage: '[OPTIONS]', summary: 'Get real time events from the engine', load: async () => (await import('./events')).events },
  { name: 'info', usage: '[OPTIONS]', summary: 'Display system-wide information', load: async () => (await import('./system')).info },
];

export const image = commandGroup('image', 'Manage images', imageCommands);
export const system = commandGroup('system', 'Manage Strata', systemCommands);
