// The swapping container's tool (swapdir.c), built for the test that needs
// it: static to run inside a container (the starter image has no C
// library), dynamic to run on the host.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Compiles swapdir.c to `output`; returns `output`. */
export function buildSwapdir(output: string, opts: { static: boolean }): string {
  execFileSync('gcc', [...(opts.static ? ['-static'] : []), '-O2', '-o', output, path.join(__dirname, 'swapdir.c')]);
  return output;
}
