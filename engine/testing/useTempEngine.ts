// A temp engine for a whole test file (tempEngine.ts), made before its tests
// and disposed after. Apart from tempEngine.ts, which the benchmark loads too
// (it runs outside vitest).

import { afterAll, beforeAll } from 'vitest';
import type { LocalClient } from '../rpc/local';
import { tempEngine, type TempEngine } from './tempEngine';

/** A temp engine for the whole test file: made before its tests, disposed after. */
export function useTempEngine(): { readonly engine: TempEngine; call: LocalClient['call'] } {
  let engine: TempEngine | undefined;
  beforeAll(async () => {
    engine = await tempEngine();
  });
  afterAll(async () => {
    await engine?.dispose();
  });
  return {
    get engine() {
      if (!engine) throw new Error('the temp engine is made in beforeAll');
      return engine;
    },
    call: (name, arg) => engine!.client.call(name, arg),
  };
}
