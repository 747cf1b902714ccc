// Docker's wait conditions. `not-running` returns at once for a container
// that does not run; `next-exit` waits for the end of its current or next
// run (docker run registers it before start); `removed` waits until the
// container is gone (run --rm). Exits and removals made by any process reach
// this one through the event log, so the wait does not care who acts.

import { isLive, type WaitCondition } from '../api';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import type { ContainerRow } from '../store/containers';
import { asEngineError } from '../errors';
import { findContainer, type RuntimeContext } from './context';
import { waitExit } from './lifecycle';


export function waitUntilStream(
  ctx: RuntimeContext,
  arg: { id: string; condition?: WaitCondition },
  cb: StreamCallbacks<{ statusCode: number }>,
): StreamHandle<never> {
  const row = findContainer(ctx, arg.id);
  const condition = arg.condition ?? 'not-running';
  let exitCode = row.exitCode;
  let done = false;
  const watching = new AbortController();
  const stop = () => {
    if (done) return false;
    done = true;
    unsubscribe();
    watching.abort();
    return true;
  };
  const finish = (statusCode: number, err?: unknown) => {
    if (!stop()) return;
    if (err === undefined) cb.onMessage({ statusCode });
    cb.onEnd(err === undefined ? undefined : asEngineError(err).toPayload());
  };
  // Someone has to notice the exit (and remove an --rm container): a monitor
  // writes its exit file and goes, so the waiter watches the run it waits on.
  const watchRun = (r: ContainerRow) => {
    const loop = async () => {
      while (!done && !watching.signal.aborted) {
        const code = await waitExit(ctx, r, 5_000);
        if (code !== undefined) return;
      }
    };
    loop().catch((err) => finish(exitCode, err));
  };
  const unsubscribe = ctx.events.subscribe((e) => {
    if (e.type !== 'container' || e.id !== row.id) return;
    if (e.action === 'start' && (condition === 'next-exit' || condition === 'removed')) {
      const current = ctx.containers.get(row.id);
      if (current && isLive(current.state)) watchRun(current);
    } else if (e.action === 'die') {
      exitCode = Number(e.attributes.exitCode ?? exitCode);
      if (condition !== 'removed') finish(exitCode);
    } else if (e.action === 'destroy') {
      finish(exitCode);
    }
  });
  // The row may have moved on between finding it and subscribing.
  const now = ctx.containers.get(row.id);
  if (!now) finish(exitCode);
  else if (isLive(now.state)) watchRun(now);
  else if (condition === 'not-running') finish(now.exitCode);
  return { send() {}, close: () => void stop() };
}
