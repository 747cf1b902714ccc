// What integration tests wait for and expect of the engine: a state reached
// within a time, and the EngineError a request fails with.

import type { EngineError } from '../errors';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks `get` until `ok` holds; fails after `ms` with what it last saw. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(50);
  }
}

/** The error `p` rejects with; fails if it resolves. */
export async function errorOf(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    return e as EngineError;
  }
  throw new Error('expected an error');
}
