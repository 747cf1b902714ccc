import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db';
import { sha256Digest } from '../oci/digest';
import { LayerStore, maxLayerDepth } from './layers';

let root: string;
let db: Db;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-layers-'));
  db = openDb(path.join(root, 'strata.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const stream = (b: Buffer) => Readable.from([b]);
const entries = (dir: string) => fs.readdirSync(dir).sort();
const addImage = (id: string, top: string) =>
  db.prepare("INSERT INTO images (id, top_layer, parent, created, added) VALUES (?, ?, '', 0, 0)").run(id, top);

describe('LayerStore', () => {
  it('unpacks a layer once under its chain id, with a short link, and shares it', async () => {
    const layers = new LayerStore(db, root);
    const bytes = await tarOf({ 'etc/motd': 'hello\n' });
    const first = await layers.registerLayer(null, stream(bytes));
    expect(first).toMatchObject({ diffId: sha256Digest(bytes), chainId: sha256Digest(bytes), created: true });
    const hex = first.chainId.slice(7);
    expect(fs.readFileSync(path.join(root, 'layers', hex, 'diff', 'etc', 'motd'), 'utf8')).toBe('hello\n');
    const row = layers.get(first.chainId)!;
    expect(row.short).toMatch(/^[A-Z0-9]{26}$/);
    expect(fs.readlinkSync(path.join(root, 'layers', 'l', row.short))).toBe(`../${hex}/diff`);

    const again = await layers.registerLayer(null, stream(bytes));
    expect(again).toMatchObject({ chainId: first.chainId, created: false, size: first.size });
    expect(entries(path.join(root, 'layers'))).toEqual([hex, 'l']); // no second copy, no temp dir
    expect(entries(path.join(root, 'layers', 'l'))).toEqual([row.short]);
  });

  it('names a layer on a parent by the chain, and gives the stack top first for overlay', async () => {
    const layers = new LayerStore(db, root);
    const base = await layers.registerLayer(null, stream(await tarOf({ a: '1' })));
    const topBytes = await tarOf({ b: '2' });
    const top = await layers.registerLayer(base.chainId, stream(topBytes));
    expect(top.diffId).toBe(sha256Digest(topBytes));
    expect(top.chainId).toBe(sha256Digest(`${base.chainId} ${top.diffId}`));
    expect(layers.layerChain(top.chainId).map((l) => l.chainId)).toEqual([base.chainId, top.chainId]);
    const { shorts, dirs } = layers.lowerDirs(top.chainId);
    expect(dirs).toEqual([layers.diffDir(top.chainId), layers.diffDir(base.chainId)]);
    expect(shorts.map((s) => fs.realpathSync(path.join(layers.dir, s)))).toEqual(dirs);
    expect(shorts.every((s) => /^l\/[A-Z0-9]{26}$/.test(s))).toBe(true);
    await expect(layers.registerLayer(`sha256:${'0'.repeat(64)}`, stream(topBytes))).rejects.toThrow(/does not exist/);
    expect(() => layers.lowerDirs(`sha256:${'0'.repeat(64)}`)).toThrow(expect.objectContaining({ code: 'NotFound' }));
  });

  it('publishes one copy when the same layer arrives twice at once', async () => {
    const layers = new LayerStore(db, root);
    const bytes = await tarOf({ 'usr/share/doc': 'x'.repeat(100_000) });
    const results = await Promise.all([layers.registerLayer(null, stream(bytes)), layers.registerLayer(null, stream(bytes))]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(entries(layers.dir)).toEqual([results[0].chainId.slice(7), 'l']);
  });

  it('shares a base layer between two images: one dir', async () => {
    const layers = new LayerStore(db, root);
    const base = await tarOf({ 'bin/tool': 'x' });
    const a = await layers.registerLayer(null, stream(base));
    const b = await layers.registerLayer(null, stream(base));
    const topA = await layers.registerLayer(a.chainId, stream(await tarOf({ a: 'a' })));
    const topB = await layers.registerLayer(b.chainId, stream(await tarOf({ b: 'b' })));
    expect(a.chainId).toBe(b.chainId);
    expect(layers.lowerDirs(topA.chainId).dirs[1]).toBe(layers.lowerDirs(topB.chainId).dirs[1]);
    expect(entries(layers.dir).filter((n) => n !== 'l')).toHaveLength(3);
  });

  it('removes layers no image uses, children first, with their links', async () => {
    const layers = new LayerStore(db, root);
    const base = await layers.registerLayer(null, stream(await tarOf({ a: '1' })));
    const mid = await layers.registerLayer(base.chainId, stream(await tarOf({ b: '2' })));
    const top = await layers.registerLayer(mid.chainId, stream(await tarOf({ c: '3' })));
    addImage(`sha256:${'1'.repeat(64)}`, mid.chainId);
    expect(layers.removeUnusedLayers().map((l) => l.chainId)).toEqual([top.chainId]);
    expect(layers.get(top.chainId)).toBeUndefined();
    expect(fs.existsSync(path.join(layers.dir, top.chainId.slice(7)))).toBe(false);

    db.prepare('DELETE FROM images').run();
    expect(layers.removeUnusedLayers().map((l) => l.chainId)).toEqual([mid.chainId, base.chainId]);
    expect(entries(layers.dir)).toEqual(['l']);
    expect(entries(path.join(layers.dir, 'l'))).toEqual([]);
  });

  it('removes only the layers asked for, never a parent of a kept layer', async () => {
    const layers = new LayerStore(db, root);
    const base = await layers.registerLayer(null, stream(await tarOf({ a: '1' })));
    const top = await layers.registerLayer(base.chainId, stream(await tarOf({ b: '2' })));
    const other = await layers.registerLayer(null, stream(await tarOf({ o: '1' })));
    expect(layers.removeUnusedLayers([base.chainId])).toEqual([]);
    expect(layers.removeUnusedLayers([top.chainId]).map((l) => l.chainId)).toEqual([top.chainId]);
    expect(layers.get(other.chainId)).toBeDefined();
  });

  it('leaves nothing when the tar is not a tar', async () => {
    const layers = new LayerStore(db, root);
    await expect(layers.registerLayer(null, stream(Buffer.from('garbage\n'.repeat(200))))).rejects.toThrow();
    expect(entries(layers.dir)).toEqual(['l']);
    expect(db.prepare('SELECT count(*) AS n FROM layers').get()).toEqual({ n: 0 });
  });

  it('repairs what a crash leaves when the store opens', async () => {
    const layers = new LayerStore(db, root);
    const kept = await layers.registerLayer(null, stream(await tarOf({ kept: '1' })));
    const retired = await layers.registerLayer(null, stream(await tarOf({ retired: '1' })));
    const l = (n: string) => path.join(layers.dir, n);
    // A removal whose transaction rolled back: the row survived, the dir was renamed away.
    fs.renameSync(l(kept.chainId.slice(7)), l(`removing-${kept.chainId.slice(7)}`));
    // A removal that committed: no row, dir and link still there.
    const retiredShort = layers.get(retired.chainId)!.short;
    db.prepare('DELETE FROM layers WHERE chain_id = ?').run(retired.chainId);
    fs.renameSync(l(retired.chainId.slice(7)), l(`removing-${retired.chainId.slice(7)}`));
    // A publish that never committed, an unpack of a dead process, one of a live process, a stray link.
    fs.mkdirSync(l(`${'e'.repeat(64)}/diff`), { recursive: true });
    fs.mkdirSync(l('tmp-999999999-abc/diff'), { recursive: true });
    fs.mkdirSync(l(`tmp-${process.pid}-abc/diff`), { recursive: true });
    fs.symlinkSync('../nothing/diff', l('l/ZZZZZZZZZZZZZZZZZZZZZZZZZZ'));

    const reopened = new LayerStore(db, root);
    expect(entries(reopened.dir)).toEqual([kept.chainId.slice(7), 'l', `tmp-${process.pid}-abc`]);
    expect(entries(l('l'))).toEqual([reopened.get(kept.chainId)!.short]);
    expect(entries(l('l'))).not.toContain(retiredShort);
    expect(fs.readFileSync(path.join(reopened.diffDir(kept.chainId), 'kept'), 'utf8')).toBe('1');
  });

  it(`mounts a stack of ${maxLayerDepth} layers through the short links and refuses one more`, async () => {
    const layers = new LayerStore(db, root);
    let top: string | null = null;
    for (let i = 0; i < maxLayerDepth; i++) {
      top = (await layers.registerLayer(top, stream(await tarOf({ [`f${i}`]: `${i}` })))).chainId;
    }
    await expect(layers.registerLayer(top, stream(await tarOf({ x: '' })))).rejects.toThrow(/max depth exceeded/);

    const { shorts } = layers.lowerDirs(top!);
    const upper = path.join(root, 'c', 'upper');
    const work = path.join(root, 'c', 'work');
    const merged = path.join(root, 'c', 'merged');
    for (const d of [upper, work, merged]) fs.mkdirSync(d, { recursive: true });
    const options = `lowerdir=${shorts.join(':')},upperdir=${upper},workdir=${work}`;
    expect(options.length).toBeLessThan(4096);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', options, merged], { cwd: layers.dir });
    try {
      expect(fs.readFileSync(path.join(merged, 'f0'), 'utf8')).toBe('0');
      expect(fs.readFileSync(path.join(merged, `f${maxLayerDepth - 1}`), 'utf8')).toBe(`${maxLayerDepth - 1}`);
      expect(fs.readdirSync(merged)).toHaveLength(maxLayerDepth);
    } finally {
      execFileSync('umount', [merged]);
    }
  });
});
