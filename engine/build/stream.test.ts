// The `image.build` stream on the real engine: a Dockerfile given as text
// with no context, and closing the stream cancelling the build: the running
// step's process killed at once, its container removed, no tag made.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildMessage, BuildOptions } from '../api';
import type { ErrorPayload } from '../errors';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let engine: TempEngine;

beforeAll(async () => {
  engine = await tempEngine();
});

afterAll(async () => {
  await engine.dispose();
});

/** Runs a build, closing its stream on the first message `closeOn` picks; resolves when the stream ends. */
function build(opts: BuildOptions, closeOn?: (m: BuildMessage) => boolean): Promise<{ messages: BuildMessage[]; error?: ErrorPayload; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const messages: BuildMessage[] = [];
    let closed = false;
    const handle = engine.client.open('image.build', opts, {
      onMessage(m) {
        messages.push(m);
        if (!closed && closeOn?.(m)) {
          closed = true;
          handle.close();
        }
      },
      onEnd: (error) => resolve({ messages, error, ms: Date.now() - started }),
    });
  });
}

describe('image.build', () => {
  it("builds a Dockerfile given as text with an empty context ('')", async () => {
    const { messages, error } = await build({ context: '', dockerfileText: 'FROM starter\nRUN echo hi > /hi.txt\n', tags: ['text:1'] });
    expect(error).toBeUndefined();
    expect(messages.filter((m) => m.type === 'step').map((m) => m.type === 'step' && m.instruction)).toEqual(['FROM starter', 'RUN echo hi > /hi.txt']);
    const built = messages.at(-1);
    expect(built).toMatchObject({ type: 'built', tags: ['text:1'] });
    const hi = await engine.client.call('image.inspect', { ref: 'text:1' });
    expect(hi.RootFS.Layers).toHaveLength(2);
  });

  // Closing as the step's container appears races its start: the kill must still land.
  for (const [when, closeOn] of [
    ['as its container is made', (m: BuildMessage) => m.type === 'container'],
    ['while it runs', (m: BuildMessage) => m.type === 'output'],
  ] as const) {
    it(`stops a running step when the stream closes ${when}: killed, its container removed, no tag`, async () => {
      const { messages, ms } = await build({ context: '', dockerfileText: 'FROM starter\nRUN echo started; sleep 30; echo finished\n', tags: ['cancelled:1'] }, closeOn);
      expect(ms).toBeLessThan(10_000);
      expect(messages.map((m) => (m.type === 'output' ? m.text : ''))).not.toContain('finished\n');
      const container = messages.find((m) => m.type === 'container');
      expect(messages).toContainEqual({ type: 'removed', step: 2, id: container?.type === 'container' ? container.id : '?' });
      expect(messages.at(-1)).toMatchObject({ type: 'error', step: 2, message: 'Build cancelled' });
      expect(await engine.client.call('container.list', { all: true })).toEqual([]);
      await expect(engine.client.call('image.inspect', { ref: 'cancelled:1' })).rejects.toMatchObject({ code: 'NotFound' });
    }, 40_000);
  }
});
