// rmi, image prune, history, tag and system df with the outcomes a real
// dockerd gives for the same steps (checked against Docker 20.10's daemon):
// untag before delete, the refusals and what -f may override, deleted
// layers and untagged parents, <missing> history entries, shared layers.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineError } from '../errors';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let starter: string;
beforeEach(async () => {
  t = await tempEngine();
  starter = t.client.engine.images.access.resolve(t.image);
});
afterEach(async () => {
  await t?.dispose();
});

const call: TempEngine['client']['call'] = (name, arg) => t.client.call(name, arg);
const short = (id: string) => id.slice(7, 19);

/** An image made by committing a container that wrote `file`; the container is removed unless kept. */
async function commitFile(reference: string | undefined, file: string, opts: { keep?: boolean; from?: string } = {}) {
  const { id } = await call('container.create', { image: opts.from ?? t.image, cmd: ['sh', '-c', `echo ${file} > /${file}`] });
  await collect(t.client, id);
  const { imageId } = await call('container.commit', { id, ...(reference ? { reference } : {}) });
  if (!opts.keep) await call('container.remove', { id });
  return { imageId, container: id };
}

const topLayerOf = (id: string) => t.client.engine.images.store.images.getImage(id).topLayer!;

describe('rmi', () => {
  it('untags first; deletes the image, its own layer and its untagged parent', async () => {
    const parent = await commitFile('z:1', 'one');
    const child = await commitFile('z:2', 'two', { from: 'z:1' });
    const [childLayer, parentLayer] = [topLayerOf(child.imageId), topLayerOf(parent.imageId)];
    expect(await call('image.remove', { ref: 'z:1' })).toEqual([{ untagged: 'z:1' }]);
    expect(await call('image.remove', { ref: 'z:2' })).toEqual([
      { untagged: 'z:2' },
      { deleted: child.imageId },
      { deleted: childLayer },
      { deleted: parent.imageId },
      { deleted: parentLayer },
    ]);
    // The starter and its layer stay.
    expect((await call('image.list', {})).map((i) => i.repoTags)).toEqual([[t.image]]);
    expect(t.client.engine.db.prepare('SELECT count(*) AS n FROM layers').get()).toEqual({ n: 1 });
  });

  it("refuses what Docker refuses, with Docker's messages", async () => {
    const { imageId } = await commitFile('s:1', 'x');
    await commitFile('s:child', 'y', { from: 's:1' });
    const err = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a refusal')), (e: EngineError) => e);
    const { id: user } = await call('container.create', { image: 's:1', cmd: ['true'] });

    const byName = await err(call('image.remove', { ref: 's:1' }));
    expect(byName.code).toBe('Conflict');
    expect(byName.message).toBe(
      `conflict: unable to remove repository reference "s:1" (must force) - container ${user.slice(0, 12)} is using its referenced image ${short(imageId)}`,
    );
    const child = await err(call('image.remove', { ref: imageId, force: true }));
    expect(child.message).toBe(`conflict: unable to delete ${short(imageId)} (cannot be forced) - image has dependent child images`);
    const kept = await commitFile('t:1', 'z');
    const { id: stoppedUser } = await call('container.create', { image: 't:1', cmd: ['true'] });
    const stopped = await err(call('image.remove', { ref: short(kept.imageId) }));
    expect(stopped.message).toBe(
      `conflict: unable to delete ${short(kept.imageId)} (must be forced) - image is being used by stopped container ${stoppedUser.slice(0, 12)}`,
    );
    // Forced: Docker deletes it and the container keeps its layers; Strata's container needs the image, which stays untagged.
    expect(await call('image.remove', { ref: 't:1', force: true })).toEqual([{ untagged: 't:1' }]);
    expect((await call('image.list', {})).find((i) => i.id === kept.imageId)?.repoTags).toEqual([]);
    const tagged = await commitFile('m:1', 'm');
    await call('image.tag', { source: 'm:1', target: 'm:other' });
    const multiple = await err(call('image.remove', { ref: short(tagged.imageId) }));
    expect(multiple.message).toBe(`conflict: unable to delete ${short(tagged.imageId)} (must be forced) - image is referenced in multiple repositories`);
    // Forced by id: every tag goes, then the image.
    expect(await call('image.remove', { ref: short(tagged.imageId), force: true })).toEqual([
      { untagged: 'm:1' },
      { untagged: 'm:other' },
      { deleted: tagged.imageId },
      { deleted: expect.stringMatching(/^sha256:/) },
    ]);
  });

  it('-f untags an image a running container uses, and never deletes it', async () => {
    const { imageId } = await commitFile('r:1', 'x');
    const { id } = await call('container.create', { image: 'r:1', cmd: ['sleep', '100'] });
    await call('container.start', { id });
    expect(await call('image.remove', { ref: 'r:1', force: true })).toEqual([{ untagged: 'r:1' }]);
    const err = await call('image.remove', { ref: imageId, force: true }).catch((e: EngineError) => e);
    expect((err as EngineError).message).toBe(
      `conflict: unable to delete ${short(imageId)} (cannot be forced) - image is being used by running container ${id.slice(0, 12)}`,
    );
    await call('container.remove', { id, force: true });
    const layer = topLayerOf(imageId);
    expect(await call('image.remove', { ref: imageId, force: true })).toEqual([{ deleted: imageId }, { deleted: layer }]);
  });

  it('keeps layers other images share, and records untag and delete events', async () => {
    const a = await commitFile('a:1', 'x');
    await call('image.tag', { source: 'a:1', target: 'a:2' });
    expect(await call('image.remove', { ref: 'a:1' })).toEqual([{ untagged: 'a:1' }]);
    const since = Date.now() * 1e6 - 1e9;
    expect(await call('image.remove', { ref: a.imageId })).toEqual([
      { untagged: 'a:2' },
      { deleted: a.imageId },
      { deleted: expect.stringMatching(/^sha256:/) },
    ]);
    const actions = t.client.engine.events.since(since).filter((e) => e.type === 'image' && e.id === a.imageId);
    expect(actions.map((e) => ('action' in e ? e.action : '')).filter((a) => a !== 'tag')).toEqual(['untag', 'untag', 'delete']);
  });
});

describe('image prune', () => {
  it('removes dangling images only; -a every image no container uses', async () => {
    const dangling = await commitFile(undefined, 'd');
    const kept = await commitFile('kept:1', 'k');
    const used = await commitFile('used:1', 'u');
    await call('container.create', { image: 'used:1', cmd: ['true'] });
    const report = await call('image.prune', {});
    expect(report.deleted).toEqual([{ deleted: dangling.imageId }, { deleted: expect.stringMatching(/^sha256:/) }]);
    expect(report.spaceReclaimed).toBe(2); // "d\n"
    const all = await call('image.prune', { all: true });
    // As Docker: a tagged image other images depend on loses its tag and stays.
    expect(all.deleted).toEqual([
      { untagged: 'kept:1' },
      { deleted: kept.imageId },
      { deleted: expect.stringMatching(/^sha256:/) },
      { untagged: t.image },
    ]);
    const left = (await call('image.list', { all: true })).map((i) => [i.id, i.repoTags]);
    expect(left).toEqual([[used.imageId, ['used:1']], [starter, []]]);
  });
});

describe('history and tag', () => {
  it("names each step by the image on top of it, <missing> past the parent links, Docker's sizes", async () => {
    const one = await commitFile('h:1', 'one');
    await call('image.tag', { source: 'h:1', target: 'h:latest' });
    const two = await commitFile('h:2', 'twotwo', { from: 'h:1' });
    const history = await call('image.history', { ref: 'h:2' });
    expect(history.map((h) => [h.id, h.tags, h.size, h.createdBy])).toEqual([
      [two.imageId, ['h:2'], 7, 'sh -c echo twotwo > /twotwo'],
      [one.imageId, ['h:1', 'h:latest'], 4, 'sh -c echo one > /one'],
      [starter, [t.image], expect.any(Number), expect.stringMatching(/^strata bootstrap/)],
    ]);
    // A loaded image has no parent link: older steps are <missing>.
    const file = `${t.root}/h.tar`;
    await call('image.saveFile', { refs: ['h:2'], path: file });
    await call('image.remove', { ref: 'h:2' });
    await call('image.remove', { ref: 'h:1' });
    await call('image.remove', { ref: 'h:latest' });
    await call('image.load', { path: file });
    expect((await call('image.history', { ref: 'h:2' })).map((h) => h.id)).toEqual([two.imageId, '<missing>', '<missing>']);
  });

  it('tag refuses a bad name or an unknown image', async () => {
    await expect(call('image.tag', { source: 'nope:1', target: 'x:1' })).rejects.toThrow('No such image: nope:1');
    await expect(call('image.tag', { source: t.image, target: 'Bad' })).rejects.toThrow(/repository name must be lowercase/);
  });
});

describe('system df', () => {
  it('counts a layer once however many images share it', async () => {
    await commitFile('s:1', 'aaaa');
    const { container } = await commitFile('s:2', 'bb', { keep: true });
    const du = await call('system.df', {});
    const base = du.images.find((i) => i.id === starter)!;
    expect(du.layersSize).toBe(base.size + 5 + 3);
    expect(base.sharedSize).toBe(base.size);
    expect(du.containers.find((c) => c.id === container)!.sizeRw).toBe(3);
  });
});
