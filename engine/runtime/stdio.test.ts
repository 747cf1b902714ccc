// A process's output reaches its reader whole, however slow the reader: the
// monitor stops reading the process's pipe while a client is a megabyte
// behind (the process waits, as with Docker), and a stream paused by its
// consumer stops reading the monitor. Only a client that takes nothing at
// all for 10 s is let go, and the container goes on without it.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StdioMessage } from '../api';
import type { StreamHandle } from '../rpc/client';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { FrameDecoder } from './frames';

let te: TempEngine;

beforeAll(async () => {
  te = await tempEngine();
});
afterAll(async () => {
  await te?.dispose();
});

const size = 50 * 1024 * 1024;

/** Opens a stdio stream, counting stdout bytes; `onBytes` may act on the handle as they come. */
function gather(open: (cb: { onMessage(m: StdioMessage): void; onEnd(e?: unknown): void }) => StreamHandle<unknown>, onBytes?: (n: number, h: StreamHandle<unknown>) => void) {
  return new Promise<{ bytes: number; exit: number; error: unknown }>((resolve) => {
    let bytes = 0;
    let exit = -1;
    const h: StreamHandle<unknown> = open({
      onMessage(m) {
        if ('exit' in m) exit = m.exit;
        else bytes += m.data.length;
        onBytes?.(bytes, h);
      },
      onEnd: (error) => resolve({ bytes, exit, error }),
    });
  });
}

describe('stdio streams', () => {
  it('carry 20 MB of a container started attached to a consumer slower than the container, whole', async () => {
    const twenty = 20 * 1024 * 1024;
    // Letters: cheap for the monitor to log, so the consumer is the slow one.
    const { id } = await te.client.call('container.create', { image: te.image, cmd: ['sh', '-c', `head -c ${twenty} /dev/zero | tr '\\0' a`] });
    // Some milliseconds of work per message, as a front end encoding it for the wire would spend.
    const busy = () => {
      const until = performance.now() + 3;
      while (performance.now() < until);
    };
    const got = await gather((cb) => te.client.open('container.startAttached', { id }, cb), busy);
    expect(got).toEqual({ bytes: twenty, exit: 0, error: undefined });
  });

  it('wait for a consumer that pauses its stream: nothing comes while paused, and nothing is lost', async () => {
    const { id } = await te.client.call('container.create', { image: te.image, cmd: ['sleep', '600'] });
    await te.client.call('container.start', { id });
    let paused = false;
    const whilePaused: number[] = [];
    let total = 0;
    const got = await gather(
      (cb) => te.client.open('container.exec', { id, cmd: ['head', '-c', String(size), '/dev/zero'] }, cb),
      (n, h) => {
        total = n;
        if (paused || n < 1 << 20) return;
        paused = true;
        h.pause!();
        // What was already read may still arrive at once; then nothing, until resumed.
        setTimeout(() => whilePaused.push(total), 500);
        setTimeout(() => whilePaused.push(total), 2500);
        setTimeout(() => h.resume!(), 2600);
      },
    );
    expect(whilePaused[0]).toBeLessThan(size);
    expect(whilePaused[1]).toBe(whilePaused[0]);
    expect(got).toEqual({ bytes: size, exit: 0, error: undefined });
  });
});

describe('the monitor', () => {
  it('holds the container for a client that stops reading a while, and lets go of one that reads nothing', { timeout: 60_000 }, async () => {
    const { id } = await te.client.call('container.create', { image: te.image, cmd: ['sh', '-c', 'sleep 1; head -c 4000000 /dev/zero | tr "\\0" a; echo; echo done'] });
    await te.client.call('container.start', { id });
    const attach = () => net.createConnection(path.join(te.client.engine.paths.runDir(id), 'attach.sock'));
    const hung = attach();
    hung.pause();
    // A reader that takes its time: nothing for 3 s, then everything.
    const slow = attach();
    slow.pause();
    const frames = new FrameDecoder();
    let seen = '';
    let exit = -1;
    slow.on('data', (chunk: Buffer) => {
      for (const m of frames.push(chunk)) {
        if ('exit' in m) exit = m.exit;
        else seen += Buffer.from(m.data).toString();
      }
    });
    setTimeout(() => slow.resume(), 3000);
    expect(await te.client.call('container.wait', { id })).toEqual({ statusCode: 0 });
    const expected = `${'a'.repeat(4_000_000)}\ndone\n`;
    await new Promise((r) => slow.once('close', r));
    expect(seen.length).toBe(expected.length);
    expect(seen === expected).toBe(true);
    expect(exit).toBe(0);
    const log = fs.readFileSync(path.join(te.client.engine.paths.containerDir(id), 'log.json'), 'utf8');
    const logged = log
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { log: string }).log)
      .join('');
    expect(logged === expected).toBe(true);
    hung.destroy();
  });
});
