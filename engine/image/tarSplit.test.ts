import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lsetxattr } from '../native';
import { packLayer } from '../fs/tarPack';
import { openDb, type Db } from '../store/db';
import { sha256Digest } from '../oci/digest';
import { openStore, type Store } from '../store/store';
import { layerSeal } from './layerSeal';
import { layerTarSource, registerLayerTar } from './tarSplit';

let tmp: string;
let db: Db;
let store: Store;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tarsplit-'));
  fs.mkdirSync(path.join(tmp, 'root'));
  db = openDb(path.join(tmp, 'root', 'strata.db'));
  store = openStore(db, path.join(tmp, 'root'));
});
afterEach(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

/** A small tree with the things tar writers disagree on: long names, xattrs, links, empty files. */
function makeTree(): string {
  const src = path.join(tmp, 'src');
  fs.mkdirSync(path.join(src, 'etc', 'deep'.repeat(30)), { recursive: true });
  fs.writeFileSync(path.join(src, 'etc', 'motd'), 'hello\n');
  fs.writeFileSync(path.join(src, 'etc', 'empty'), '');
  fs.writeFileSync(path.join(src, 'etc', 'deep'.repeat(30), 'f'.repeat(120)), 'x'.repeat(1000));
  fs.linkSync(path.join(src, 'etc', 'motd'), path.join(src, 'etc', 'motd.link'));
  fs.symlinkSync('motd', path.join(src, 'etc', 'sym'));
  fs.writeFileSync(path.join(src, 'big'), Buffer.alloc(3 << 20, 7));
  lsetxattr(path.join(src, 'big'), 'user.note', Buffer.from([0, 1, 2, 255]));
  return src;
}

async function roundTrip(tarBytes: Buffer, registerInput: Buffer = tarBytes): Promise<Buffer> {
  const layer = await registerLayerTar(store, null, Readable.from([registerInput]));
  expect(layer.diffId).toBe(sha256Digest(tarBytes));
  const source = await layerTarSource(store, layer.chainId);
  expect(source.size).toBe(tarBytes.length);
  return collect(source.chunks());
}

describe('tar-split records', () => {
  it('gives back a GNU tar byte for byte (its order, ./ prefixes, long names, links)', async () => {
    const src = makeTree();
    const bytes = execFileSync('tar', ['-C', src, '--xattrs', '-cf', '-', '.'], { maxBuffer: 1 << 26 });
    expect((await roundTrip(bytes)).equals(bytes)).toBe(true);
  });

  it('gives back a PAX tar and the bytes after its end, and a compressed layer as uncompressed', async () => {
    const src = makeTree();
    const tarBytes = execFileSync('tar', ['-C', src, '--format=pax', '--xattrs', '-cf', '-', 'etc', 'big'], { maxBuffer: 1 << 26 });
    const withTrailer = Buffer.concat([tarBytes, Buffer.from('trailing junk that Docker hashes too')]);
    expect((await roundTrip(withTrailer)).equals(withTrailer)).toBe(true);
    const other = execFileSync('tar', ['-C', src, '--format=pax', '-cf', '-', 'etc'], { maxBuffer: 1 << 26 });
    expect((await roundTrip(other, zlib.gzipSync(other))).equals(other)).toBe(true);
  });

  it("gives back Strata's own layer tars", async () => {
    const bytes = await collect(packLayer(makeTree()));
    expect((await roundTrip(bytes)).equals(bytes)).toBe(true);
  });

  it('refuses to hand out a layer whose files changed, and never follows a symlink out of it', async () => {
    const src = makeTree();
    const bytes = execFileSync('tar', ['-C', src, '-cf', '-', 'etc'], { maxBuffer: 1 << 26 });
    const layer = await registerLayerTar(store, null, Readable.from([bytes]));
    const diff = store.layers.diffDir(layer.chainId);
    fs.writeFileSync(path.join(diff, 'etc', 'motd'), 'HELLO\n');
    await expect(collect((await layerTarSource(store, layer.chainId)).chunks())).rejects.toThrow(/cannot reproduce layer/);
    fs.rmSync(path.join(diff, 'etc', 'motd'));
    fs.rmSync(path.join(diff, 'etc', 'motd.link'));
    fs.writeFileSync(path.join(tmp, 'secret'), 'HELLO\n');
    fs.symlinkSync(path.join(tmp, 'secret'), path.join(diff, 'etc', 'motd'));
    await expect(collect((await layerTarSource(store, layer.chainId)).chunks())).rejects.toThrow(/no longer matches/);
  });

  it('hands out a sealed layer unhashed only while its files are as registered', async () => {
    const src = makeTree();
    const bytes = execFileSync('tar', ['-C', src, '-cf', '-', 'etc', 'big'], { maxBuffer: 1 << 26 });
    const layer = await registerLayerTar(store, null, Readable.from([bytes]));
    const diff = store.layers.diffDir(layer.chainId);
    const seal = layerSeal(path.dirname(diff));
    expect(seal).not.toBeNull();
    // Every file the tar wrote is strictly before the seal, even those of the clock tick the unpack ended in.
    for (const name of ['etc/motd', 'etc/empty', 'big']) expect(fs.lstatSync(path.join(diff, name), { bigint: true }).ctimeNs < seal!).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    // A file touched without changing its bytes: still the same tar (hashed, since it is newer than the seal).
    const motd = path.join(diff, 'etc', 'motd');
    const planned = await layerTarSource(store, layer.chainId);
    fs.chmodSync(motd, fs.statSync(motd).mode);
    // Planned while sealed and touched before it was read: refused as it is opened, never handed out unchecked.
    await expect(collect(planned.chunks())).rejects.toThrow(/no longer matches/);
    expect((await collect((await layerTarSource(store, layer.chainId)).chunks())).equals(bytes)).toBe(true);
    fs.writeFileSync(path.join(diff, 'big'), Buffer.alloc(3 << 20, 8));
    await expect(collect((await layerTarSource(store, layer.chainId)).chunks())).rejects.toThrow(/cannot reproduce layer/);
  });

  it('repacks a layer that has no record when packing gives the same tar', async () => {
    const bytes = await collect(packLayer(makeTree()));
    const layer = await store.layers.registerLayer(null, Readable.from([bytes]));
    const source = await layerTarSource(store, layer.chainId);
    expect((await collect(source.chunks())).equals(bytes)).toBe(true);
    await source.dispose();
    expect(fs.readdirSync(store.blobs.dir)).toEqual([]);
  });
});

describe('registerLayerTar, the entry point for layers arriving as streams', () => {
  it("says the digests of the tar and of the bytes as they came, and a check that refuses them leaves the store as it was", async () => {
    const tarBytes = execFileSync('tar', ['-C', makeTree(), '-cf', '-', 'etc'], { maxBuffer: 1 << 26 });
    const gz = zlib.gzipSync(tarBytes);
    const seen: unknown[] = [];
    const refused = registerLayerTar(store, null, Readable.from([gz]), (digests) => {
      seen.push(digests);
      throw new Error('not the blob the manifest names');
    });
    await expect(refused).rejects.toThrow('not the blob the manifest names');
    expect(seen).toEqual([{ diffId: sha256Digest(tarBytes), inputDigest: sha256Digest(gz) }]);
    expect(fs.readdirSync(store.layers.dir)).toEqual(['l']);
    expect(db.prepare('SELECT count(*) AS n FROM layers').get()).toEqual({ n: 0 });

    const plain = await registerLayerTar(store, null, Readable.from([tarBytes]));
    expect(plain).toMatchObject({ diffId: sha256Digest(tarBytes), inputDigest: sha256Digest(tarBytes), created: true });
  });
});
