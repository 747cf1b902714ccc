// Where the engine keeps things (DESIGN.md, "On-disk layout"). Every path the
// engine writes is derived here from the root and a validated id, so none can
// point outside it.

import path from 'node:path';
import { invalidArgument } from './errors';
import { defaultRoots } from './rootless';
import { volumeNamePattern } from './volume/mountSpec';

export interface EnginePaths {
  root: string;
  runRoot: string;
  db: string;
  blobs: string;
  layers: string;
  containers: string;
  containerDir(id: string): string;
  runDir(id: string): string;
  /** run/<id>/network: the netavark plan, one options file per network, the bound namespace. */
  networkDir(id: string): string;
  /** netavark's --config: aardvark-dns's state for this engine's networks. */
  netavarkConfig: string;
  volumes: string;
  /** volumes/<name>: the volume's _data and nothing else of the engine's. */
  volumeDir(name: string): string;
}

const containerId = /^[0-9a-f]{64}$/;

export function enginePaths(root?: string, runRoot?: string): EnginePaths {
  const defaults = root === undefined ? defaultRoots() : undefined;
  const r = path.resolve(root ?? defaults!.root);
  const run = path.resolve(runRoot ?? process.env.STRATA_RUNROOT ?? defaults?.runRoot ?? path.join(r, 'run'));
  const checked = (id: string) => {
    if (!containerId.test(id)) throw invalidArgument(`invalid container id: ${id}`);
    return id;
  };
  return {
    root: r,
    runRoot: run,
    db: path.join(r, 'strata.db'),
    blobs: path.join(r, 'blobs', 'sha256'),
    layers: path.join(r, 'layers'),
    containers: path.join(r, 'containers'),
    containerDir: (id) => path.join(r, 'containers', checked(id)),
    runDir: (id) => path.join(run, checked(id)),
    networkDir: (id) => path.join(run, checked(id), 'network'),
    netavarkConfig: path.join(run, 'netavark'),
    volumes: path.join(r, 'volumes'),
    volumeDir: (name) => {
      if (!volumeNamePattern.test(name)) throw invalidArgument(`invalid volume name: ${JSON.stringify(name)}`);
      return path.join(r, 'volumes', name);
    },
  };
}
