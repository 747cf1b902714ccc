// The `image.build` stream: runs a build, sends its progress, and ends with
// the build's error if it failed. Closing the stream cancels the build (a
// running step's container is killed).

import type { BuildMessage, BuildOptions } from '../api';
import { asEngineError } from '../errors';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { build, newBuildId, StepError, type BuilderDeps } from './builder';
import { BuildProgress } from './progress';

export function buildStream(deps: BuilderDeps, arg: BuildOptions, cb: StreamCallbacks<BuildMessage>): StreamHandle<never> {
  const abort = new AbortController();
  const progress = new BuildProgress(deps.events, newBuildId(), (m) => cb.onMessage(m), !!arg.quiet);
  // A Dockerfile given as text is named '-', as `-f -` names it.
  const dockerfile = arg.dockerfile ?? (arg.dockerfileText !== undefined ? '-' : '');
  progress.started({ context: arg.context, dockerfile, tags: (arg.tags ?? []).join(',') });
  build(deps, arg, progress, abort.signal).then(
    () => cb.onEnd(),
    (err) => {
      progress.release();
      const e = asEngineError(err);
      if (err instanceof StepError) progress.emit({ type: 'error', step: err.step, message: e.message, exitCode: err.exitCode });
      else progress.failed(e.message);
      cb.onEnd(e.toPayload());
    },
  );
  return { send() {}, close: () => abort.abort() };
}
