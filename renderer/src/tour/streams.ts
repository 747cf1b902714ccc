// A stream of engine/api.ts followed to its end, as a promise: the tour waits
// for a build, an exec, a pull or an archive the way the CLI does.

import type { EngineStreams, StreamName } from '../../../engine/api';
import type { EngineClient } from '../../../engine/rpc/client';
import { toEngineError } from '../transport/client';

export function follow<K extends StreamName>(
  client: EngineClient,
  name: K,
  arg: EngineStreams[K]['arg'],
  onMessage: (m: EngineStreams[K]['out']) => void = () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    client.open(name, arg, {
      onMessage,
      onEnd: (error) => (error ? reject(toEngineError(error)) : resolve()),
    });
  });
}
