import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../testing/tempEngine';
import { makeLayeredImage } from './layeredImage';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
  const store = t.client.engine.images.store;
  await makeLayeredImage(store, 'layered:v1', [
    { createdBy: '/bin/sh -c #(nop) ADD file:base in /', layer: [{ path: '/etc', dir: true }, { path: '/etc/motd', file: 'x'.repeat(1000) }, { path: '/big', file: 'b'.repeat(4000) }] },
    { metadata: 'ENV A=1' },
    { createdBy: '/bin/sh -c rm /big && echo hi > /etc/motd', layer: [{ path: '/big', whiteout: true }, { path: '/etc', dir: true }, { path: '/etc/motd', file: 'hi\n' }] },
    { metadata: 'CMD ["sh"]' },
  ]);
});
afterAll(() => t.dispose());

describe('image.stack', () => {
  it('lists layers and metadata steps bottom to top, from the history', async () => {
    const stack = await t.client.call('image.stack', { ref: 'layered:v1' });
    expect(stack.repoTags).toEqual(['layered:v1']);
    expect(stack.entries.map((e) => [e.kind, e.layerIndex])).toEqual([
      ['layer', 0],
      ['metadata', null],
      ['layer', 1],
      ['metadata', null],
    ]);
    const [base, env, top] = stack.entries;
    expect(base.createdBy).toBe('/bin/sh -c #(nop) ADD file:base in /');
    expect(env.createdBy).toContain('ENV A=1');
    expect(top.parentChainId).toBe(base.chainId);
    expect(base.parentChainId).toBeUndefined();
    expect(base.size).toBe(5000);
    expect(top.size).toBe(3);
  });

  it('points at each layer on the host disk', async () => {
    const stack = await t.client.call('image.stack', { ref: 'layered:v1' });
    const base = stack.entries[0];
    expect(base.dir).toBe(path.join(t.root, 'layers', base.chainId!.slice(7), 'diff'));
    expect(fs.readFileSync(path.join(base.dir!, 'etc', 'motd'), 'utf8')).toHaveLength(1000);
  });

  it('counts the bytes a later layer overwrites or deletes as wasted', async () => {
    const stack = await t.client.call('image.stack', { ref: 'layered:v1' });
    expect(stack.entries[0].wasted).toBe(5000); // /etc/motd overwritten, /big deleted
    expect(stack.entries[2].wasted).toBe(0);
    expect(stack.size).toBe(5003);
    expect(stack.wastedBytes).toBe(5000);
    expect(stack.efficiency).toBeCloseTo(3 / 5003);
  });

  it('shows the starter image as one layer with nothing wasted', async () => {
    const stack = await t.client.call('image.stack', { ref: t.image });
    const layers = stack.entries.filter((e) => e.kind === 'layer');
    expect(layers.length).toBeGreaterThanOrEqual(1);
    expect(stack.wastedBytes).toBe(0);
    expect(stack.efficiency).toBe(1);
  });

  it('says when the image was created (its config) and when this store got it', async () => {
    const stack = await t.client.call('image.stack', { ref: 'layered:v1' });
    expect(stack.created).toBe(Date.parse('2024-01-02T03:04:05Z') / 1000);
    expect(Math.abs(stack.added - Date.now() / 1000)).toBeLessThan(600);
    const [listed] = (await t.client.call('image.list', {})).filter((i) => i.id === stack.id);
    expect(listed).toMatchObject({ created: stack.created, added: stack.added });
  });

  it('wastes nothing when a commit deletes one of the starter image\'s hard links to busybox', async () => {
    const { id, exitCode } = await t.run(['rm', '/bin/ls']);
    expect(exitCode).toBe(0);
    const { imageId } = await t.client.call('container.commit', { id, message: 'no more ls' });
    const stack = await t.client.call('image.stack', { ref: imageId });
    expect(stack.entries.filter((e) => e.kind === 'layer')).toHaveLength(2);
    expect(stack.wastedBytes).toBe(0);
    expect(stack.efficiency).toBe(1);
  });

  it('answers NotFound for an unknown image', async () => {
    await expect(t.client.call('image.stack', { ref: 'nope:none' })).rejects.toMatchObject({ code: 'NotFound' });
  });
});
