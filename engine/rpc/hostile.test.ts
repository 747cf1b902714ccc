// Hostile requests against every schema of engine/api.ts (fast-check, the
// arguments generated from the schemas themselves): a malformed argument is
// refused in one line before the engine sees it; a well-formed one full of
// hostile words, sent as the app sends it (through the front ends' policy),
// gets an answer or an EngineError, never a crash, and nothing is written
// outside the engine's root, whose store then checks clean.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, streams } from '../api';
import { EngineError } from '../errors';
import type { Schema } from './schema';
import { dispatchRequest, dispatchStream, type RequestHandlers, type StreamHandlers } from './dispatch';
import { openLocalClient, type LocalClient } from './local';
import { admit, appGrants } from './policy';
import { malformed, wellFormed } from '../testing/schemaArbitrary';

const requestNames = Object.keys(requests) as (keyof typeof requests)[];
const streamNames = Object.keys(streams) as (keyof typeof streams)[];

/** Handlers that fail the test if an argument ever reaches them. */
const unreachable = new Proxy(
  {},
  {
    get: (_t, name) => () => {
      throw new Error(`a malformed argument reached ${String(name)}`);
    },
  },
);

/** No argument at all is an empty one (what the dispatcher takes for it). */
const given = (arg: unknown) => arg !== null && arg !== undefined;

function expectOneLineRefusal(err: unknown): void {
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('InvalidArgument');
  expect((err as Error).message).not.toContain('\n');
}

describe('a malformed argument', () => {
  it.each(requestNames)('to %s is refused in one line before the engine sees it', async (name) => {
    const schema = requests[name].arg as Schema<unknown>;
    await fc.assert(
      fc.asyncProperty(malformed(schema, []).filter(given), async (arg) => {
        const err = await dispatchRequest(unreachable as RequestHandlers, name, arg).then(() => undefined, (e: unknown) => e);
        expectOneLineRefusal(err);
      }),
      { numRuns: 60 },
    );
  });

  it.each(streamNames)('to the stream %s is refused in one line before the engine sees it', (name) => {
    const schema = streams[name].arg as Schema<unknown>;
    fc.assert(
      fc.property(malformed(schema, []).filter(given), (arg) => {
        let err: unknown;
        try {
          dispatchStream(unreachable as StreamHandlers, name, arg, { onMessage() {}, onEnd() {} });
        } catch (e) {
          err = e;
        }
        expectOneLineRefusal(err);
      }),
      { numRuns: 60 },
    );
  });
});

// Requests that reach past this machine (a registry) or into the user's own
// files by design (registry credentials): not sent with random arguments.
const offMachine = new Set<string>(['registry.login', 'registry.logout', 'registry.search', 'registry.manifest', 'image.pull', 'image.push']);

describe('well-formed hostile requests from the app', () => {
  let base: string;
  let root: string;
  let outside: string;
  let client: LocalClient;
  const words: string[] = [];

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-hostile-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    client = openLocalClient({ root });
    const { reference } = await client.call('image.bootstrap', {});
    const held = await client.call('container.create', { image: reference, cmd: ['sleep', '1000'], name: 'held', networkMode: 'none' });
    await client.call('container.start', { id: held.id });
    const idle = await client.call('container.create', { image: reference, cmd: ['true'], name: 'idle', networkMode: 'none' });
    // Names that exist, so requests get past their lookups; paths that lead out of the root.
    words.push(reference, 'held', held.id, 'idle', idle.id, 'none', 'bridge', outside, path.join(outside, 'x'), '../outside/x', '../../outside', root, '/tmp');
  }, 60_000);

  afterAll(async () => {
    for (const c of await client.call('container.list', { all: true })) {
      await client.call('container.remove', { id: c.id, force: true }).catch(() => undefined);
    }
    client.close();
    fs.rmSync(base, { recursive: true, force: true });
  }, 120_000);

  /** What a request answers, or its error; a request still going after a while (wait, stop) is left to finish. */
  async function answer(promise: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(() => resolve('still going'), 2000)));
    try {
      return await Promise.race([promise.then(() => 'answered', (e: unknown) => e), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  function expectNoCrash(outcome: unknown): void {
    if (outcome === 'answered' || outcome === 'still going') return;
    // A TypeError, a RangeError, a system error the engine did not expect: a crash.
    expect(outcome, String((outcome as Error)?.stack)).toBeInstanceOf(EngineError);
    expect((outcome as Error).message).not.toContain('\n');
  }

  it('get an answer or an EngineError, for every request', async () => {
    const handlers = client.engine.requests as unknown as Record<string, (a: unknown) => unknown>;
    for (const name of requestNames.filter((n) => !offMachine.has(n))) {
      const schema = requests[name].arg as Schema<unknown>;
      await fc.assert(
        fc.asyncProperty(wellFormed(schema, words), async (arg) => {
          const checked = schema.parse(arg, '');
          try {
            admit(appGrants, 'request', name, checked);
          } catch (err) {
            return expectOneLineRefusal(err);
          }
          // The handler itself, not the dispatcher, so an error it did not mean to throw is seen as such.
          expectNoCrash(await answer(Promise.resolve().then(() => handlers[name](checked))));
        }),
        { numRuns: 25 },
      );
    }
  }, 600_000);

  it('get messages or an end with an EngineError, for every stream', async () => {
    for (const name of streamNames.filter((n) => !offMachine.has(n))) {
      const schema = streams[name].arg as Schema<unknown>;
      await fc.assert(
        fc.asyncProperty(wellFormed(schema, words), fc.uint8Array({ maxLength: 1024 }), async (arg, input) => {
          const checked = schema.parse(arg, '');
          try {
            admit(appGrants, 'stream', name, checked);
          } catch (err) {
            return expectOneLineRefusal(err);
          }
          let ended: (value: unknown) => void = () => undefined;
          const end = new Promise((resolve) => (ended = resolve));
          let handle;
          try {
            handle = dispatchStream(client.engine.streams, name, checked, { onMessage() {}, onEnd: (err) => ended(err ? EngineError.fromPayload(err) : 'answered') });
          } catch (err) {
            return expectNoCrash(err);
          }
          // Bytes for those that take input (an exec's stdin, a tar to extract, an upload): hostile too,
          // then each way a sender ends its input (what a stream does not take, the dispatcher refuses).
          for (const message of [{ data: input }, { end: true }, { closeStdin: true }]) {
            try {
              handle.send(message);
            } catch (err) {
              expectNoCrash(err);
            }
          }
          const outcome = await answer(end);
          handle.close();
          expectNoCrash(outcome);
        }),
        { numRuns: 25 },
      );
    }
  }, 600_000);

  it('leave nothing outside the root, and a store that checks clean', async () => {
    expect(fs.readdirSync(base).sort()).toEqual(['outside', 'root']);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect((await client.call('system.info', {})).containers).toBeGreaterThanOrEqual(0);
    expect((await client.call('system.check', {})).findings).toEqual([]);
  }, 120_000);
});
