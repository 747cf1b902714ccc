// The `container.stats` stream: a sample a second, as dockerd's stats
// collector takes them (the app asks for one every half second, to draw a
// memory hog's climb). Without named containers it follows the running
// ones (with `all`, every one) as they start, stop and go; a one-shot
// stream (`stats --no-stream`) takes two samples a second apart and sends
// the second, so its CPU % covers that second, as Docker's does.

import type { EngineStreams, StatsSample } from '../../api';
import { asEngineError, invalidArgument } from '../../errors';
import type { StreamCallbacks, StreamHandle } from '../../rpc/client';
import type { ContainerRow } from '../../store/containers';
import { findContainer, type RuntimeContext } from '../context';
import { cgroupsOf } from '../lifecycle';
import { CgroupFiles, readContainer, statsRow, systemCpu, type Readings, type SystemCpu } from './stats';

/** dockerd's: a sample a second. */
export const statsInterval = 1000;

const runs = (row: ContainerRow) => row.state === 'running' || row.state === 'paused';

export function statsStream(ctx: RuntimeContext, arg: EngineStreams['container.stats']['arg'], cb: StreamCallbacks<StatsSample>): StreamHandle<never> {
  const interval = arg.intervalMs ?? statsInterval;
  if (interval < 100 || interval > 10_000) throw invalidArgument(`stats interval ${interval} ms: it must be from 100 to 10000 ms`);
  // Named containers are looked up once, now: an unknown name fails the stream at once.
  const named = arg.ids?.map((ref) => findContainer(ctx, ref).id);
  const files = new Map<string, CgroupFiles>();
  let previous = new Map<string, { readings: Readings; system: SystemCpu }>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const watched = (): ContainerRow[] => {
    if (!named) return ctx.containers.list(!!arg.all).filter((r) => arg.all || runs(r));
    return named.map((id) => ctx.containers.get(id)).filter((r): r is ContainerRow => r !== undefined);
  };

  const sample = (): StatsSample => {
    const system = systemCpu();
    const current = new Map<string, { readings: Readings; system: SystemCpu }>();
    const containers = watched().map((row) => {
      const cg = runs(row) ? cgroupsOf(ctx, row.id) : undefined;
      let readings: Readings | undefined;
      if (cg) {
        if (!files.has(row.id)) files.set(row.id, new CgroupFiles(cg));
        readings = readContainer(files.get(row.id)!, row.spec.HostConfig.NetworkMode === 'host' ? 0 : row.pid);
        current.set(row.id, { readings, system });
      } else files.delete(row.id);
      return statsRow(row, readings, previous.get(row.id), system);
    });
    previous = current;
    return { time: Date.now(), containers };
  };

  const tick = (first: boolean) => {
    if (closed) return;
    try {
      const s = sample();
      if (!arg.once || !first) cb.onMessage(s);
      if (arg.once && !first) return finish();
    } catch (err) {
      return finish(err);
    }
    timer = setTimeout(() => tick(false), interval);
  };

  const finish = (err?: unknown) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    cb.onEnd(err === undefined ? undefined : asEngineError(err).toPayload());
  };

  queueMicrotask(() => tick(true));
  return { send() {}, close: () => finish() };
}
