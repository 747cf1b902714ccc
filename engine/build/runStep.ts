// A step in an intermediate container, as Docker's classic builder runs it:
// a container made from the parent image with the step's command, started
// attached from its first byte (RUN), its output passed on line by line,
// its end awaited. The builder commits its upper dir and removes it.

import { StringDecoder } from 'node:string_decoder';
import type { BuildOptions, CreateOptions, StdioMessage } from '../api';
import { EngineError } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { createContainer } from '../runtime/create';
import { killContainer } from '../runtime/lifecycle';
import { startAttachedStream } from '../runtime/stdio';
import { LineSplitter } from './progress';

/** How build's flags set up every step's container: its network, extra hosts, limits and confinement. */
export interface StepSetup {
  networkMode: string;
  extraHosts?: string[];
  limits?: BuildOptions['stepLimits'];
}

export function createStepContainer(ctx: RuntimeContext, image: string, cmd: string[], env: string[], setup: StepSetup): string {
  // Entrypoint [""]: a step runs its command alone, whatever the image's ENTRYPOINT.
  const opts: CreateOptions = {
    ...setup.limits,
    image,
    cmd,
    entrypoint: [''],
    env,
    networkMode: setup.networkMode,
    ...(setup.extraHosts?.length ? { extraHosts: setup.extraHosts } : {}),
  };
  return createContainer(ctx, opts).id;
}

/**
 * Starts the container attached and resolves with its exit code once it
 * ended. `signal` aborting kills it (a cancelled build); aborted before the
 * start, it never runs (the exit code is then -1).
 */
export function runAttached(
  ctx: RuntimeContext,
  id: string,
  output: (stream: 'stdout' | 'stderr', text: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const lines = {
    stdout: new LineSplitter((t) => output('stdout', t)),
    stderr: new LineSplitter((t) => output('stderr', t)),
  };
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  if (signal.aborted) return Promise.resolve(-1);
  return new Promise((resolve, reject) => {
    let exit = -1;
    let ended = false;
    // A container still starting cannot be killed yet: try again until it runs, or has ended.
    const kill = () =>
      void killContainer(ctx, id, 'SIGKILL').catch(() => {
        if (!ended) setTimeout(kill, 50);
      });
    signal.addEventListener('abort', kill, { once: true });
    startAttachedStream(ctx, { id }, {
      onMessage(m: StdioMessage) {
        if ('exit' in m) exit = m.exit;
        else lines[m.stream].push(decoders[m.stream].write(Buffer.from(m.data)));
      },
      onEnd(err) {
        ended = true;
        signal.removeEventListener('abort', kill);
        for (const s of ['stdout', 'stderr'] as const) {
          lines[s].push(decoders[s].end());
          lines[s].flush();
        }
        if (err) reject(EngineError.fromPayload(err));
        else resolve(exit);
      },
    });
  });
}
