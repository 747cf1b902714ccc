// The app's Load and Import: an archive sent in pieces over the upload
// streams becomes the same images `strata load` and `strata import` make,
// each piece acknowledged; a bad archive, a cancel and a sender that does
// not wait are refused and leave the store as it was.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedImage, UploadMessage } from '../api';
import type { ErrorPayload } from '../errors';
import { openLocalClient, type LocalClient } from '../rpc/local';
import { rootSnapshot, tarOf } from '../testing/archives';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { maxAhead } from './uploadInput';

let t: TempEngine;
let saved: Buffer;
let freshRoot: string;
let fresh: LocalClient;

beforeAll(async () => {
  t = await tempEngine();
  const file = path.join(t.root, 'starter.tar');
  await t.client.call('image.saveFile', { refs: [t.image], path: file });
  saved = fs.readFileSync(file);
  freshRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-upload-'));
  fresh = openLocalClient({ root: freshRoot });
});
afterAll(async () => {
  fresh?.close();
  if (freshRoot) fs.rmSync(freshRoot, { recursive: true, force: true });
  await t?.dispose();
});

interface Upload<R> {
  messages: UploadMessage<R>[];
  end: Promise<ErrorPayload | undefined>;
}

/** Sends `bytes` in pieces of `piece`, each after the engine acknowledged the one before (as the app does). */
function upload<R>(client: LocalClient, name: 'image.loadStream' | 'image.importStream', arg: object, bytes: Buffer, piece = 64 << 10): Upload<R> {
  const messages: UploadMessage<R>[] = [];
  let sent = 0;
  let handle: { send(i: unknown): void } | undefined;
  const sendNext = () => {
    if (sent >= bytes.length) return handle!.send({ end: true });
    const data = bytes.subarray(sent, sent + piece);
    sent += data.length;
    handle!.send({ data });
  };
  const end = new Promise<ErrorPayload | undefined>((resolve) => {
    handle = client.open(name as 'image.loadStream', arg as never, {
      onMessage(m) {
        messages.push(m as UploadMessage<R>);
        if ('received' in m && m.received === sent) sendNext();
      },
      onEnd: resolve,
    }) as never;
  });
  sendNext();
  return { messages, end };
}

describe('image.loadStream', () => {
  it('loads an archive sent in acknowledged pieces, as strata load does', async () => {
    const u = upload<LoadedImage[]>(fresh, 'image.loadStream', {}, saved);
    expect(await u.end).toBeUndefined();
    const received = u.messages.filter((m) => 'received' in m).map((m) => (m as { received: number }).received);
    expect(received.at(-1)).toBe(saved.length);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    const done = u.messages.at(-1) as { done: LoadedImage[] };
    expect(done.done.map((i) => i.repoTags)).toEqual([[t.image]]);
    const original = await t.client.call('image.inspect', { ref: t.image });
    expect((await fresh.call('image.inspect', { ref: t.image })).Id).toBe(original.Id);
  });

  it('refuses what is not an archive and leaves the store as it was', async () => {
    const before = rootSnapshot(fresh);
    const u = upload(fresh, 'image.loadStream', {}, Buffer.from('not a tar at all'.repeat(100)));
    expect(await u.end).toMatchObject({ code: 'InvalidArgument' });
    expect(rootSnapshot(fresh)).toEqual(before);
  });

  it('leaves nothing behind when the sender goes away halfway', async () => {
    const before = rootSnapshot(fresh);
    let ended: unknown = 'not yet';
    const half = saved.length >> 1;
    let taken = 0;
    const handle = fresh.open('image.loadStream', {}, {
      onMessage: (m) => {
        if ('received' in m) taken = m.received;
      },
      onEnd: (e) => (ended = e),
    });
    handle.send({ data: saved.subarray(0, half) });
    await expect.poll(() => taken).toBe(half);
    handle.close();
    await expect.poll(() => rootSnapshot(fresh)).toEqual(before);
    expect(ended).toBe('not yet'); // closed by the sender: nothing more is said to it
  });

  it('refuses a sender that runs far ahead of the engine instead of buffering it', async () => {
    const end = new Promise<ErrorPayload | undefined>((resolve) => {
      const handle = fresh.open('image.loadStream', {}, { onMessage() {}, onEnd: resolve });
      const piece = Buffer.alloc(1 << 20);
      for (let i = 0; i <= maxAhead >> 20; i++) handle.send({ data: piece });
    });
    expect(await end).toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/ahead of the engine/) });
  });

  it('refuses input that is neither bytes nor the end', () => {
    const handle = fresh.open('image.loadStream', {}, { onMessage() {}, onEnd() {} });
    expect(() => handle.send({ path: '/etc/passwd' } as never)).toThrow(/expected \{data\} or \{end: true\}/);
    handle.close();
  });
});

describe('image.importStream', () => {
  it('imports a root filesystem tarball sent in pieces as a one-layer image, tagged', async () => {
    const rootfs = tarOf([
      { name: 'etc/', type: 'dir' },
      { name: 'etc/motd', body: 'uploaded\n' },
    ]);
    const u = upload<{ id: string }>(fresh, 'image.importStream', { reference: 'uploaded:v1', message: 'from the app' }, rootfs, 512);
    expect(await u.end).toBeUndefined();
    const { id } = (u.messages.at(-1) as { done: { id: string } }).done;
    const image = await fresh.call('image.inspect', { ref: 'uploaded:v1' });
    expect(image.Id).toBe(id);
    expect(image.RootFS.Layers).toHaveLength(1);
    expect(image.Comment).toBe('from the app');
    const tree = await fresh.call('image.tree', { ref: 'uploaded:v1', path: '/etc' });
    expect(tree.map((e) => e.name)).toEqual(['motd']);
  });
});
