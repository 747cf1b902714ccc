// The writable layer, live: files written, modified and deleted through the
// real `strata exec` (another process, as a second terminal would be) arrive
// on container.upperChanges as added, copied-up, modified, whiteout, opaque
// and removed, each within 500 ms of the exec's end; a symlink the container
// makes is never followed; the watch cap is said in the stream; the stream
// ends when the container is removed.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpperChange } from '../api';
import type { RuntimeContext } from '../runtime/context';
import { NetworkStore } from '../store/networks';
import { VolumeStore } from '../store/volumes';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { upperChangesStream } from './upperWatch';

const strataBin = path.resolve(__dirname, '../../bin/strata');

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

/** What the stream sent so far, each with the time it arrived, and whether it ended. */
interface Received {
  changes: Array<UpperChange & { arrived: number }>;
  ended: boolean;
}

function listen(open: (cb: { onMessage(m: UpperChange): void; onEnd(): void }) => { close(): void }): Received & { close(): void } {
  const received: Received = { changes: [], ended: false };
  const handle = open({
    onMessage: (m) => received.changes.push({ ...m, arrived: Date.now() }),
    onEnd: () => (received.ended = true),
  });
  return Object.assign(received, { close: () => handle.close() });
}

async function strataExec(id: string, script: string): Promise<number> {
  await promisify(execFile)(strataBin, ['exec', id, 'sh', '-c', script], { env: { ...process.env, STRATA_ROOT: t.root } });
  return Date.now();
}

/** Waits up to `ms` for a change matching `want`. */
async function arrival(r: Received, want: Partial<UpperChange>, ms: number): Promise<UpperChange & { arrived: number }> {
  const matches = (c: UpperChange) => Object.entries(want).every(([k, v]) => (c as Record<string, unknown>)[k] === v);
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = r.changes.find(matches);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(want)} within ${ms} ms; got ${JSON.stringify(r.changes)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** The stream opens asynchronously: a first write tells when it watches. */
async function watching(id: string, r: Received): Promise<void> {
  for (let i = 0; ; i++) {
    await strataExec(id, `touch /probe${i}`);
    if (await arrival(r, { action: 'added', path: `/probe${i}` }, 500).catch(() => null)) return;
    expect(i).toBeLessThan(5);
  }
}

async function runningContainer(): Promise<string> {
  const { id } = await t.client.call('container.create', { image: t.image, cmd: ['sleep', '120'], networkMode: 'none' });
  await t.client.call('container.start', { id });
  return id;
}

/** The image layer (chain id) that holds `p`, topmost first: what a copy-up or a whiteout of it hides. */
async function layerHolding(p: string): Promise<string> {
  const stack = await t.client.call('image.stack', { ref: t.image });
  const holder = [...stack.entries].reverse().find((l) => l.dir && fs.existsSync(path.join(l.dir, p)));
  if (!holder?.chainId) throw new Error(`no layer of the image has ${p}`);
  return holder.chainId;
}

describe('container.upperChanges', () => {
  it('shows what strata exec does to the writable layer as it happens', async () => {
    const id = await runningContainer();
    const r = listen((cb) => t.client.open('container.upperChanges', { id }, cb));
    await watching(id, r);

    let done = await strataExec(id, 'echo new > /happiness.txt');
    const added = await arrival(r, { action: 'added', path: '/happiness.txt' }, 500);
    expect(added).toMatchObject({ kind: 'file' });
    expect(added.arrived - done).toBeLessThanOrEqual(500);

    done = await strataExec(id, 'echo more >> /etc/passwd');
    const copied = await arrival(r, { action: 'copied-up', path: '/etc/passwd' }, 500);
    expect(copied).toMatchObject({ kind: 'file', hides: await layerHolding('etc/passwd') });
    expect(copied.arrived - done).toBeLessThanOrEqual(500);

    done = await strataExec(id, 'rm /bin/ls');
    const whiteout = await arrival(r, { action: 'whiteout', path: '/bin/ls' }, 500);
    expect(whiteout.hides).toBe(await layerHolding('bin/ls'));
    expect(whiteout.arrived - done).toBeLessThanOrEqual(500);

    done = await strataExec(id, 'echo again >> /happiness.txt');
    expect((await arrival(r, { action: 'modified', path: '/happiness.txt' }, 500)).arrived - done).toBeLessThanOrEqual(500);

    done = await strataExec(id, 'rm /happiness.txt');
    expect((await arrival(r, { action: 'removed', path: '/happiness.txt' }, 500)).arrived - done).toBeLessThanOrEqual(500);

    // A directory of the image deleted and made again hides all the image had in it.
    done = await strataExec(id, 'rm -rf /root && mkdir /root');
    const opaque = await arrival(r, { action: 'opaque', path: '/root' }, 500);
    expect(opaque).toMatchObject({ kind: 'dir', hides: await layerHolding('root') });

    // New directories are watched as they appear, and what is made in them at once is not missed.
    await strataExec(id, 'mkdir -p /deep/er/est && echo x > /deep/er/est/file');
    await arrival(r, { action: 'added', path: '/deep/er/est/file', kind: 'file' }, 500);

    // Every change is in `diff` too: the stream said nothing diff does not.
    const diff = await t.client.call('container.changes', { id });
    for (const c of r.changes.filter((c) => c.action === 'added' && c.path.startsWith('/deep'))) {
      expect(diff.map((d) => d.path)).toContain(c.path);
    }
    r.close();
  });

  it('never follows a symlink the container makes, and ends when the container is removed', async () => {
    const id = await runningContainer();
    const r = listen((cb) => t.client.open('container.upperChanges', { id }, cb));
    await watching(id, r);
    // /escape leads to the host's /tmp only if followed on the host; in the container it is its own /tmp.
    await strataExec(id, `ln -s /tmp /escape && mkdir -p /tmp/in && touch /escape/in/f`);
    await arrival(r, { action: 'added', path: '/escape', kind: 'symlink' }, 500);
    await arrival(r, { action: 'added', path: '/tmp/in/f' }, 500);
    expect(r.changes.filter((c) => c.path.startsWith('/escape/'))).toEqual([]);

    await t.client.call('container.remove', { id, force: true });
    for (let i = 0; i < 100 && !r.ended; i++) await new Promise((res) => setTimeout(res, 20));
    expect(r.ended).toBe(true);
  });

  it('says so when a container makes more directories than it may watch', async () => {
    const id = await runningContainer();
    const engine = t.client.engine;
    const ctx = {
      paths: engine.paths,
      containers: engine.containers,
      events: engine.events,
      images: engine.images.access,
      networks: new NetworkStore(engine.db),
      volumes: new VolumeStore(engine.db),
    } as RuntimeContext;
    const r = listen((cb) => upperChangesStream(ctx, { id }, cb, { maxWatches: 3 }));
    await strataExec(id, 'mkdir /a /b /c /d');
    const unwatched = await arrival(r, { action: 'unwatched' }, 500);
    expect(unwatched).toMatchObject({ kind: 'dir', reason: 'more than 3 directories are watched' });
    // The root and two directories are watched: the other two are each said once.
    expect(r.changes.filter((c) => c.action === 'added').map((c) => c.path).sort()).toEqual(['/a', '/b', '/c', '/d']);
    await new Promise((res) => setTimeout(res, 100));
    expect(r.changes.filter((c) => c.action === 'unwatched')).toHaveLength(2);
    r.close();
  });
});
