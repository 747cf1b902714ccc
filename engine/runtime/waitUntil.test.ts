// Docker's wait conditions on the real engine: not-running answers at once
// for a container that does not run; next-exit waits through a start for
// the end of that run; removed waits until an --rm container is gone; a
// closed wait says nothing more.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WaitCondition } from '../api';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;

beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

function waitFor(id: string, condition: WaitCondition): { done: Promise<number>; close(): void; settled(): boolean } {
  let settled = false;
  let close = () => {};
  const done = new Promise<number>((resolve, reject) => {
    let code = -1;
    const h = t.client.open('container.waitUntil', { id, condition }, {
      onMessage: (m) => (code = m.statusCode),
      onEnd: (err) => {
        settled = true;
        if (err) reject(new Error(err.message));
        else resolve(code);
      },
    });
    close = () => h.close();
  });
  return { done, close: () => close(), settled: () => settled };
}

it('answers not-running at once, and next-exit only when the run that follows ends', async () => {
  const { id } = await t.client.call('container.create', { image: t.image, cmd: ['sh', '-c', 'exit 4'], networkMode: 'none' });
  expect(await waitFor(id, 'not-running').done).toBe(0);
  const next = waitFor(id, 'next-exit');
  await new Promise((r) => setTimeout(r, 200));
  expect(next.settled()).toBe(false);
  expect((await collect(t.client, id)).exitCode).toBe(4);
  expect(await next.done).toBe(4);
});

it('waits for an --rm container to be removed, with its exit code', async () => {
  const { id } = await t.client.call('container.create', { image: t.image, cmd: ['sh', '-c', 'exit 2'], autoRemove: true, networkMode: 'none' });
  const removed = waitFor(id, 'removed');
  await t.client.call('container.start', { id });
  expect(await removed.done).toBe(2);
  await expect(t.client.call('container.inspect', { id })).rejects.toMatchObject({ code: 'NotFound' });
});

it('stops waiting when closed, without a message', async () => {
  const { id } = await t.client.call('container.create', { image: t.image, cmd: ['true'], networkMode: 'none' });
  const w = waitFor(id, 'next-exit');
  w.close();
  await new Promise((r) => setTimeout(r, 100));
  expect(w.settled()).toBe(false);
  await t.client.call('container.remove', { id });
});
