// Giving a layer's tar back byte for byte. A layer is kept unpacked (its
// diff dir, an overlay lowerdir), yet its identity, the DiffID, is the digest
// of the tar it arrived as, and `save` must hand out exactly those bytes or no
// other tool will accept the archive. As Docker does with tar-split, every
// registration records the tar's own bytes (headers, padding, the end of the
// archive and anything after it) and, for each regular file, only where it
// was unpacked; save replays the record and reads file content from the diff
// dir. The record is small (headers compress well) and lives beside the
// layer, so it goes when the layer goes.
//
// layers/<chain hex>/tar-split:
//   "STRATA-TARSPLIT1"   16 bytes
//   the tar's length     u64 big-endian
//   a gzip stream of segments:
//     0x01 u32 n <n bytes>          bytes of the tar as they were
//     0x02 u16 n <n bytes> u64 size the content of the regular file at that
//                                   path (cleaned, relative to the diff dir)
//     0x00                          end

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { conflict } from '../errors';
import { ByteSource } from '../fs/byteSource';
import { decompressed, type Compression } from '../fs/decompress';
import { entryComponents } from '../fs/layerRoot';
import { packLayer } from '../fs/tarPack';
import type { TarHeader, TarObserver } from '../fs/tarReader';
import type { RegisteredLayer, StagedLayer } from '../store/layers';
import { tempName } from '../store/liveness';
import type { Store } from '../store/store';
import { layerSeal, sealLayer, unchangedSince } from './layerSeal';

const magic = Buffer.from('STRATA-TARSPLIT1');
const prefixLength = magic.length + 8;
const recordName = 'tar-split';

/** A layer tar as save hands it out: its length up front, then its bytes (checked against the DiffID). */
export interface LayerTarSource {
  diffId: string;
  size: number;
  chunks(): AsyncGenerator<Buffer>;
  /** Releases what the source holds (a repacked copy on disk). */
  dispose(): Promise<void>;
}

/** A layer's two digests: of its tar (the DiffID), and of the bytes it came as (compressed or not). */
export interface LayerDigests {
  diffId: string;
  inputDigest: string;
}

/**
 * The one way a layer's bytes become a layer of the store (load, import,
 * commit, and a registry pull feeding a blob's body as it downloads):
 * unpacks a layer tar, compressed or not, on top of `parent`, and keeps the
 * record that gives its bytes back. Each byte is hashed once (an
 * uncompressed input's digest is its DiffID). `check` sees both digests
 * once the input is read to its end and before anything is published in
 * the store: throwing there (a digest that is not the one expected) leaves
 * the store as it was. Same result as LayerStore.registerLayer, with the
 * input's digest.
 */
export async function registerLayerTar(
  store: Store,
  parent: string | null,
  input: AsyncIterable<Buffer | string>,
  check?: (digests: LayerDigests) => void,
): Promise<RegisteredLayer & { inputDigest: string }> {
  return publishLayerTar(store, parent, await prepareLayerTar(store, input, check));
}

/** A layer tar unpacked into a staging dir with its record, verified, not yet in the store. */
export interface StagedLayerTar {
  staged: StagedLayer;
  record: Buffer | null;
  inputDigest: string;
}

/**
 * registerLayerTar's first half: everything but publishing, so that a pull
 * can unpack several layers at once, each while it downloads, and publish
 * them bottom up once each parent is there. A failure leaves nothing.
 * `inputDigest` is given by a caller that verifies the input itself (a
 * download): it is then not hashed twice.
 */
export async function prepareLayerTar(
  store: Store,
  input: AsyncIterable<Buffer | string>,
  check?: (digests: LayerDigests) => void,
  inputDigest?: string,
): Promise<StagedLayerTar> {
  const recorder = new TarSplitRecorder();
  let format: Compression | undefined;
  const inputHash = createHash('sha256');
  async function* hashedInput(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Until the format is known every chunk counts; an uncompressed input's digest is the DiffID.
      if (format !== 'none' && inputDigest === undefined) inputHash.update(bytes);
      yield bytes;
    }
  }
  const tar = Readable.from(decompressed(hashedInput(), (f) => (format = f)), { objectMode: false });
  const digestOf = (diffId: string) => (inputDigest ??= format === 'none' ? diffId : `sha256:${inputHash.digest('hex')}`);
  let staged: StagedLayer;
  try {
    staged = await store.layers.prepareLayer(tar, {
      observer: recorder,
      check: (diffId) => check?.({ diffId, inputDigest: digestOf(diffId) }),
    });
  } catch (err) {
    recorder.abandon();
    throw err;
  }
  try {
    const record = await recorder.finish();
    // Only a layer this registration unpacked is known to be as its tar says.
    if (record) await sealLayer(staged.dir);
    return { staged, record, inputDigest: digestOf(staged.diffId) };
  } catch (err) {
    await store.layers.discardStaged(staged);
    throw err;
  }
}

/** Publishes a staged layer tar on top of `parent`, its record beside it. */
export async function publishLayerTar(store: Store, parent: string | null, layerTar: StagedLayerTar): Promise<RegisteredLayer & { inputDigest: string }> {
  const layer = await store.layers.publishLayer(parent, layerTar.staged);
  try {
    if (layerTar.record) writeRecord(store, layer.chainId, layerTar.record);
  } catch (err) {
    if (layer.created) store.layers.removeUnusedLayers([layer.chainId]);
    throw err;
  }
  return { ...layer, inputDigest: layerTar.inputDigest };
}

function recordPath(store: Store, chainId: string): string {
  return path.join(path.dirname(store.layers.diffDir(chainId)), recordName);
}

/** Stores the record beside the layer (once: the same chain always had the same tar). */
function writeRecord(store: Store, chainId: string, record: Buffer): void {
  const file = recordPath(store, chainId);
  if (fs.existsSync(file)) return;
  const tmp = path.join(path.dirname(file), tempName('.tar-split-'));
  try {
    fs.writeFileSync(tmp, record, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Keeps what the tar reader shows of a layer's tar as it is unpacked: its
 * bytes but the regular files' content, and for each file where it was
 * unpacked. A file whose path has no place in a record drops the record
 * (save repacks that layer instead).
 */
class TarSplitRecorder implements TarObserver {
  private total = 0;
  private broken = false;
  private readonly segments: Buffer[] = [];
  private segmentBytes = 0;
  private pendingRaw: Buffer[] = [];
  private pendingRawLength = 0;
  private readonly gzip = zlib.createGzip({ level: 1 });
  private readonly compressed: Buffer[] = [];
  private readonly gzipDone: Promise<void>;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.compressed.push(chunk));
    this.gzipDone = new Promise((resolve, reject) => {
      this.gzip.on('end', resolve);
      this.gzip.on('error', reject);
    });
  }

  raw(bytes: Buffer): void {
    this.total += bytes.length;
    if (this.broken || bytes.length === 0) return;
    this.pendingRaw.push(bytes);
    this.pendingRawLength += bytes.length;
    if (this.pendingRawLength >= 1 << 16) this.flushRaw();
  }

  content(header: TarHeader): void {
    this.total += header.size;
    if (this.broken) return;
    let rel: Buffer;
    try {
      rel = Buffer.from(entryComponents(header.name).join('/'));
    } catch {
      return this.fail();
    }
    if (rel.length === 0 || rel.length > 0xffff) return this.fail();
    this.flushRaw();
    const segment = Buffer.alloc(3 + rel.length + 8);
    segment[0] = 2;
    segment.writeUInt16BE(rel.length, 1);
    rel.copy(segment, 3);
    segment.writeUInt32BE(Math.floor(header.size / 2 ** 32), 3 + rel.length);
    segment.writeUInt32BE(header.size % 2 ** 32, 7 + rel.length);
    this.pushSegment(segment);
  }

  /** The record, or null when the tar could not be recorded. */
  async finish(): Promise<Buffer | null> {
    if (!this.broken) {
      this.flushRaw();
      this.segments.push(Buffer.from([0]));
    }
    this.flushSegments(true);
    await this.gzipDone;
    if (this.broken) return null;
    const prefix = Buffer.alloc(prefixLength);
    magic.copy(prefix);
    prefix.writeBigUInt64BE(BigInt(this.total), magic.length);
    return Buffer.concat([prefix, ...this.compressed]);
  }

  abandon(): void {
    this.gzip.destroy();
  }

  private flushRaw(): void {
    if (this.pendingRawLength === 0) return;
    const head = Buffer.alloc(5);
    head[0] = 1;
    head.writeUInt32BE(this.pendingRawLength, 1);
    this.pushSegment(head, ...this.pendingRaw);
    this.pendingRaw = [];
    this.pendingRawLength = 0;
  }

  private pushSegment(...parts: Buffer[]): void {
    for (const p of parts) {
      this.segments.push(p);
      this.segmentBytes += p.length;
    }
    if (this.segmentBytes >= 1 << 18) this.flushSegments(false);
  }

  private flushSegments(end: boolean): void {
    if (this.segments.length > 0 && !this.broken) this.gzip.write(Buffer.concat(this.segments));
    this.segments.length = 0;
    this.segmentBytes = 0;
    if (end) this.gzip.end();
  }

  private fail(): void {
    this.broken = true;
    this.pendingRaw = [];
    this.pendingRawLength = 0;
    this.segments.length = 0;
  }
}

/** The tar of a layer as it was registered, verified against its DiffID while it is read. */
export async function layerTarSource(store: Store, chainId: string): Promise<LayerTarSource> {
  const layer = store.layers.get(chainId);
  if (!layer) throw conflict(`layer ${chainId} is not in the store`);
  const diffDir = store.layers.diffDir(chainId);
  let record: Buffer | null = null;
  try {
    record = fs.readFileSync(recordPath(store, chainId));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (record && record.length >= prefixLength && record.subarray(0, magic.length).equals(magic)) {
    const size = Number(record.readBigUInt64BE(magic.length));
    const body = record.subarray(prefixLength);
    const seal = layerSeal(path.dirname(diffDir));
    const trusted = seal !== null && (await sealedFiles(body, diffDir, seal)) ? seal : null;
    return {
      diffId: layer.diffId,
      size,
      chunks: () => verified(layer.diffId, size, replay(body, diffDir, trusted), trusted === null),
      dispose: async () => {},
    };
  }
  return repacked(store, layer.diffId, diffDir);
}

type Segment = { raw: Buffer } | { rel: string; size: number };

/** A record's segments in order: bytes of the tar, and files whose content goes there. */
async function* segments(body: Buffer, diffDir: string): AsyncGenerator<Segment> {
  const gunzip = Readable.from([body]).pipe(zlib.createGunzip());
  const src = new ByteSource(gunzip[Symbol.asyncIterator]());
  try {
    for (;;) {
      const kind = (await src.read(1))[0];
      if (kind === 0) return;
      if (kind === 1) {
        let n = (await src.read(4)).readUInt32BE(0);
        while (n > 0) {
          const raw = await src.readSome(n);
          n -= raw.length;
          yield { raw };
        }
      } else if (kind === 2) {
        const rel = (await src.read((await src.read(2)).readUInt16BE(0))).toString('utf8');
        yield { rel, size: Number((await src.read(8)).readBigUInt64BE(0)) };
      } else {
        throw conflict(`the tar record of layer dir ${diffDir} is damaged`);
      }
    }
  } finally {
    gunzip.destroy();
  }
}

/** Whether every file the record reads is unchanged since the layer's seal (else save hashes it). */
async function sealedFiles(body: Buffer, diffDir: string, seal: bigint): Promise<boolean> {
  for await (const s of segments(body, diffDir)) {
    if (!('rel' in s)) continue;
    let stats: fs.BigIntStats;
    try {
      stats = fs.lstatSync(path.join(diffDir, s.rel), { bigint: true });
    } catch {
      return false;
    }
    if (!unchangedSince(seal, stats)) return false;
  }
  return true;
}

/**
 * The bytes a record describes: its own, and each file's content read from
 * the diff dir (each file checked against the seal as it is opened, when
 * the tar is not hashed).
 */
async function* replay(body: Buffer, diffDir: string, seal: bigint | null): AsyncGenerator<Buffer> {
  const root = fs.realpathSync(diffDir);
  for await (const s of segments(body, diffDir)) {
    if ('raw' in s) yield s.raw;
    else yield* fileContent(root, s.rel, s.size, seal);
  }
}

/**
 * Exactly `size` bytes of a file of the layer, opened without following any
 * symlink (the opened file must be the one at that path inside the diff dir),
 * so a layer can never make save read a file of the host.
 */
function* fileContent(root: string, rel: string, size: number, seal: bigint | null): Generator<Buffer> {
  const changed = () => conflict(`layer file /${rel} no longer matches the layer's tar`);
  let fd: number;
  try {
    fd = fs.openSync(path.join(root, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    throw changed();
  }
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile() || st.size !== BigInt(size) || fs.readlinkSync(`/proc/self/fd/${fd}`) !== path.join(root, rel)) throw changed();
    if (seal !== null && !unchangedSince(seal, st)) throw changed();
    for (let done = 0; done < size; ) {
      const buf = Buffer.allocUnsafe(Math.min(size - done, 1 << 20));
      const read = fs.readSync(fd, buf, 0, buf.length, done);
      if (read === 0) throw changed();
      done += read;
      yield buf.subarray(0, read);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Passes the chunks on, failing at the end unless they are exactly the
 * layer's tar: its length, and unless its files are sealed, its digest.
 */
async function* verified(diffId: string, size: number, chunks: AsyncIterable<Buffer>, hashed = true): AsyncGenerator<Buffer> {
  const hash = hashed ? createHash('sha256') : null;
  let length = 0;
  for await (const chunk of chunks) {
    hash?.update(chunk);
    length += chunk.length;
    yield chunk;
  }
  const digest = hash ? `sha256:${hash.digest('hex')}` : diffId;
  if (digest !== diffId || length !== size) {
    throw conflict(`cannot reproduce layer ${diffId}: its files give ${digest} (${length} bytes)`);
  }
}

/**
 * A layer registered without a record: pack its diff dir again and use it
 * only if that gives the same tar (it does for layers Strata packed itself).
 */
async function repacked(store: Store, diffId: string, diffDir: string): Promise<LayerTarSource> {
  const tmp = path.join(store.blobs.dir, tempName('.tmp-'));
  const hash = createHash('sha256');
  let size = 0;
  const out = await fs.promises.open(tmp, 'wx', 0o600);
  try {
    for await (const chunk of packLayer(diffDir)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      await out.write(chunk as Buffer);
    }
  } catch (err) {
    await out.close();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest !== diffId) {
    await fs.promises.rm(tmp, { force: true });
    throw conflict(`cannot reproduce layer ${diffId}: no record of its tar, and packing its files gives ${digest}`);
  }
  return {
    diffId,
    size,
    async *chunks() {
      yield* verified(diffId, size, fs.createReadStream(tmp, { highWaterMark: 1 << 20 }));
    },
    dispose: () => fs.promises.rm(tmp, { force: true }),
  };
}
