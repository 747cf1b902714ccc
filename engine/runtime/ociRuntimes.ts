// The OCI runtimes a container can be run by (--runtime): Strata's own
// launcher, strata-shim, always; runc and crun when they are installed on
// this machine. Each is given the same bundle (containers/<id>/config.json).

import fs from 'node:fs';
import path from 'node:path';

export interface OciRuntime {
  name: 'strata' | 'runc' | 'crun';
  /** The executable; '' for strata (the shim is the engine's own). */
  path: string;
  version: string;
  commit: string;
}

const searchPath = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function which(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...searchPath]) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** runc's and crun's `--version`: "runc version 1.1.5+ds1\ncommit: ...". */
function versionOf(file: string): { version: string; commit: string } {
  try {
    // Required here: every start loads this module, and only `version`/`info` run a runtime.
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const text = execFileSync(file, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return { version: /version (\S+)/.exec(text)?.[1] ?? '', commit: /commit: (\S+)/.exec(text)?.[1] ?? '' };
  } catch {
    return { version: '', commit: '' };
  }
}

/** An installed runtime by name (undefined when it is not on this machine). */
export function findRuntime(name: string, strataVersion: string): OciRuntime | undefined {
  if (name === 'strata') return { name, path: '', version: strataVersion, commit: '' };
  if (name !== 'runc' && name !== 'crun') return undefined;
  const file = which(name);
  return file ? { name, path: file, ...versionOf(file) } : undefined;
}

/** Every runtime this machine has, strata first. */
export function installedRuntimes(strataVersion: string): OciRuntime[] {
  return (['strata', 'runc', 'crun'] as const).map((n) => findRuntime(n, strataVersion)).filter((r): r is OciRuntime => r !== undefined);
}
