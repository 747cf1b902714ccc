// Images that carry what no sane image would, at start and stop: a 1.5 GB
// /etc/passwd (read as a bounded stream, as far as the user's line) and a
// StopSignal this kernel does not know (stop still stops, with SIGTERM).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OciImageConfig } from '../oci/config';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const upperFile = (id: string, name: string) => path.join(t.root, 'containers', id, 'upper', name);

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 500 && !fs.existsSync(file); i++) await sleep(10);
  expect(fs.existsSync(file)).toBe(true);
}

/** The starter image with its config changed as `change` says, tagged `tag`. */
function starterWith(tag: string, change: (config: OciImageConfig) => void): string {
  const store = t.client.engine.images.store;
  const config = structuredClone(store.images.resolveImage(t.image).config);
  change(config);
  const { id } = store.images.createImage(Buffer.from(JSON.stringify(config)));
  store.images.tag(tag, id);
  return tag;
}

function execOutput(id: string, cmd: string[], user?: string): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) =>
    t.client.open('container.exec', { id, cmd, ...(user ? { user } : {}) }, {
      onMessage: (m) => ('data' in m ? (out += Buffer.from(m.data).toString()) : undefined),
      onEnd: (err) => (err ? reject(Object.assign(new Error(err.message), { code: err.code })) : resolve(out)),
    }),
  );
}

describe('an image with a 1.5 GB /etc/passwd', () => {
  it('starts, and resolves users near the top, without reading it whole', async () => {
    // Sparse: root's line first, then 1.5 GB of nothing that no start may read.
    const { id } = await t.client.call('container.create', {
      image: t.image,
      cmd: ['sh', '-c', 'truncate -s 1500000000 /etc/passwd && touch /ready && exec sleep 1000'],
    });
    await t.client.call('container.start', { id });
    await waitForFile(upperFile(id, 'ready'));
    expect(fs.statSync(upperFile(id, 'etc/passwd')).size).toBe(1_500_000_000);

    const rss = process.memoryUsage().rss;
    expect(await execOutput(id, ['id', '-u'], 'nobody')).toBe('65534\n');
    expect(await execOutput(id, ['id', '-u'])).toBe('0\n');
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 << 20);
    // A user it would have to read past the limit to find: one clear line.
    await expect(execOutput(id, ['true'], 'ghost')).rejects.toThrow(/\/etc\/passwd in the image (is larger than 64 MiB|has a line longer than 64 KiB)/);

    // And a start reads it again.
    await t.client.call('container.stop', { id, timeout: 0 });
    await t.client.call('container.start', { id });
    expect((await t.client.call('container.inspect', { id })).State.Status).toBe('running');
    await t.client.call('container.remove', { id, force: true });
  });
});

describe('an image whose StopSignal this kernel does not know', () => {
  const trap = ['sh', '-c', 'trap "exit 43" TERM; touch /ready; while :; do sleep 0.05; done'];

  it.each(['SIGFOO', '99'])('is created, and stop sends SIGTERM instead of failing (%s)', async (signal) => {
    const image = starterWith(`stopsignal-${signal.toLowerCase()}:1`, (c) => {
      c.config = { ...c.config, StopSignal: signal };
    });
    const { id } = await t.client.call('container.create', { image, cmd: trap });
    expect((await t.client.call('container.inspect', { id })).Config.StopSignal).toBe(signal);
    await t.client.call('container.start', { id });
    await waitForFile(upperFile(id, 'ready'));
    const t0 = Date.now();
    await t.client.call('container.stop', { id, timeout: 10 });
    expect(Date.now() - t0).toBeLessThan(5000); // the trap ran: no wait for the grace period
    expect((await t.client.call('container.inspect', { id })).State).toMatchObject({ Status: 'exited', ExitCode: 43 });
  });

  it('still refuses an unknown --stop-signal at create, as Docker does', async () => {
    await expect(t.client.call('container.create', { image: t.image, cmd: ['true'], stopSignal: 'SIGFOO' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'Invalid signal: SIGFOO',
    });
  });
});
