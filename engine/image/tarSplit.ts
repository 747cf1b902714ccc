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
import { maxTrailer } from '../fs/tarReader';
import type { RegisteredLayer } from '../store/layers';
import { tempName } from '../store/liveness';
import type { Store } from '../store/store';

const magic = Buffer.from('STRATA-TARSPLIT1');
const prefixLength = magic.length + 8;
const recordName = 'tar-split';
const BLOCK = 512;
/** Bound on PAX and GNU long-name payloads, as the tar reader's. */
const maxMetaSize = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  const recorder = new TarSplitRecorder();
  let format: Compression | undefined;
  const inputHash = createHash('sha256');
  async function* hashedInput(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Until the format is known every chunk counts; an uncompressed input's digest is the DiffID.
      if (format !== 'none') inputHash.update(bytes);
      yield bytes;
    }
  }
  async function* recorded(): AsyncGenerator<Buffer> {
    for await (const chunk of decompressed(hashedInput(), (f) => (format = f))) {
      recorder.feed(chunk);
      yield chunk;
    }
  }
  let inputDigest: string | undefined;
  const digestOf = (diffId: string) => (inputDigest ??= format === 'none' ? diffId : `sha256:${inputHash.digest('hex')}`);
  let layer: RegisteredLayer;
  try {
    layer = await store.layers.registerLayer(parent, Readable.from(recorded(), { objectMode: false }), (diffId) =>
      check?.({ diffId, inputDigest: digestOf(diffId) }),
    );
  } catch (err) {
    recorder.abandon();
    throw err;
  }
  const record = await recorder.finish();
  try {
    if (record) writeRecord(store, layer.chainId, record);
  } catch (err) {
    if (layer.created) store.layers.removeUnusedLayers([layer.chainId]);
    throw err;
  }
  return { ...layer, inputDigest: digestOf(layer.diffId) };
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
 * Follows the framing of a tar stream as the engine's tar reader does
 * (ustar, GNU and PAX; data only for regular files), without judging it:
 * the unpacker refuses what is wrong. When the stream cannot be followed
 * the record is dropped, and save repacks the layer instead.
 */
class TarSplitRecorder {
  private state: 'header' | 'meta' | 'content' | 'raw' | 'trailer' = 'header';
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  /** Size of the file whose content is being passed (its padding follows). */
  private contentSize = 0;
  private meta: Buffer[] = [];
  private metaType = '';
  private paxPath: Buffer | null = null;
  private paxSize: number | null = null;
  private longName: Buffer | null = null;
  private total = 0;
  /** Bytes after the end-of-archive block. */
  private trailer = 0;
  private broken = false;
  private readonly segments: Buffer[] = [];
  private pendingRaw: Buffer[] = [];
  private pendingRawLength = 0;
  private segmentBytes = 0;
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

  feed(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.broken) return;
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'header': {
          const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
          chunk.copy(this.header, this.headerFill, at, at + n);
          this.headerFill += n;
          at += n;
          if (this.headerFill === BLOCK) this.onHeader();
          break;
        }
        case 'meta':
        case 'raw':
        case 'content': {
          const n = Math.min(this.remaining, chunk.length - at);
          const part = chunk.subarray(at, at + n);
          if (this.state === 'meta') this.meta.push(Buffer.from(part));
          if (this.state !== 'content') this.raw(part);
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) this.onPartEnd();
          break;
        }
        case 'trailer':
          // What follows the end is kept up to the reader's bound; past it the reader refuses the tar.
          this.trailer += chunk.length - at;
          if (this.trailer > maxTrailer) return this.fail();
          this.raw(chunk.subarray(at));
          at = chunk.length;
          break;
      }
      if (this.broken) return;
    }
  }

  /** The record, or null when the stream could not be followed. */
  async finish(): Promise<Buffer | null> {
    if (!this.broken && this.state !== 'trailer') this.broken = true; // truncated: registration failed anyway
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

  private onHeader(): void {
    const block = Buffer.from(this.header);
    this.headerFill = 0;
    this.raw(block);
    if (block.every((b) => b === 0)) {
      // The reader stops at the first zero block and only drains what follows.
      this.state = 'trailer';
      return;
    }
    const size = numeric(block, 124, 12);
    if (size === null) return this.fail();
    const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
    if ('xgLK'.includes(typeflag)) {
      if (size > maxMetaSize) return this.fail();
      this.metaType = typeflag;
      this.meta = [];
      return this.startPart('meta', size);
    }
    let name = this.longName ?? ustarName(block);
    if (this.paxPath) name = this.paxPath;
    const contentSize = this.paxSize ?? size;
    this.paxPath = this.paxSize = this.longName = null;
    const oldDir = block[156] === 0 && name.length > 0 && name[name.length - 1] === 0x2f;
    if ((typeflag !== '0' && typeflag !== '7') || oldDir || contentSize === 0) return this.startPart('raw', 0);
    let parts: string[];
    try {
      parts = entryComponents(utf8.decode(name));
    } catch {
      return this.fail();
    }
    this.flushRaw();
    const rel = Buffer.from(parts.join('/'));
    if (rel.length === 0 || rel.length > 0xffff) return this.fail();
    const segment = Buffer.alloc(3 + rel.length + 8);
    segment[0] = 2;
    segment.writeUInt16BE(rel.length, 1);
    rel.copy(segment, 3);
    segment.writeBigUInt64BE(BigInt(contentSize), 3 + rel.length);
    this.pushSegment(segment);
    this.contentSize = contentSize;
    this.startPart('content', contentSize);
  }

  private startPart(state: 'meta' | 'content' | 'raw', size: number): void {
    this.state = state;
    this.remaining = size;
    if (size === 0) this.onPartEnd();
  }

  /** After an entry's data: its padding (kept as raw bytes), then the next header. */
  private onPartEnd(): void {
    if (this.state === 'meta') {
      const data = Buffer.concat(this.meta);
      this.meta = [];
      if (this.metaType === 'x' && !this.readPax(data)) return this.fail();
      if (this.metaType === 'L') this.longName = cString(data);
      this.state = 'raw';
      this.remaining = padding(data.length);
    } else if (this.state === 'content') {
      this.state = 'raw';
      this.remaining = padding(this.contentSize);
    } else {
      this.state = 'header';
      return;
    }
    if (this.remaining === 0) this.state = 'header';
  }

  private readPax(data: Buffer): boolean {
    let rest = data;
    while (rest.length > 0) {
      const space = rest.indexOf(0x20);
      const length = space > 0 ? Number(rest.toString('latin1', 0, space)) : NaN;
      if (!(Number.isSafeInteger(length) && length > space + 1 && length <= rest.length)) return false;
      const record = rest.subarray(space + 1, length - 1);
      const eq = record.indexOf(0x3d);
      if (eq <= 0) return false;
      const key = record.toString('utf8', 0, eq);
      const value = record.subarray(eq + 1);
      if (key === 'path') this.paxPath = Buffer.from(value);
      if (key === 'size') {
        const n = Number(value.toString('latin1'));
        if (!/^[0-9]+$/.test(value.toString('latin1')) || !Number.isSafeInteger(n)) return false;
        this.paxSize = n;
      }
      rest = rest.subarray(length);
    }
    return true;
  }

  private raw(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pendingRaw.push(Buffer.from(bytes));
    this.pendingRawLength += bytes.length;
    if (this.pendingRawLength >= 1 << 16) this.flushRaw();
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
    return {
      diffId: layer.diffId,
      size,
      chunks: () => verified(layer.diffId, size, replay(body, diffDir)),
      dispose: async () => {},
    };
  }
  return repacked(store, layer.diffId, diffDir);
}

/** The bytes a record describes: its own, and each file's content read from the diff dir. */
async function* replay(body: Buffer, diffDir: string): AsyncGenerator<Buffer> {
  const gunzip = Readable.from([body]).pipe(zlib.createGunzip());
  const src = new ByteSource(gunzip[Symbol.asyncIterator]());
  const root = fs.realpathSync(diffDir);
  try {
    for (;;) {
      const kind = (await src.read(1))[0];
      if (kind === 0) return;
      if (kind === 1) {
        let n = (await src.read(4)).readUInt32BE(0);
        while (n > 0) {
          const part = await src.readSome(n);
          n -= part.length;
          yield part;
        }
      } else if (kind === 2) {
        const rel = (await src.read((await src.read(2)).readUInt16BE(0))).toString('utf8');
        const size = Number((await src.read(8)).readBigUInt64BE(0));
        yield* fileContent(root, rel, size);
      } else {
        throw conflict(`the tar record of layer dir ${diffDir} is damaged`);
      }
    }
  } finally {
    gunzip.destroy();
  }
}

/**
 * Exactly `size` bytes of a file of the layer, opened without following any
 * symlink (the opened file must be the one at that path inside the diff dir),
 * so a layer can never make save read a file of the host.
 */
function* fileContent(root: string, rel: string, size: number): Generator<Buffer> {
  const changed = () => conflict(`layer file /${rel} no longer matches the layer's tar`);
  let fd: number;
  try {
    fd = fs.openSync(path.join(root, rel), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    throw changed();
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size !== size || fs.readlinkSync(`/proc/self/fd/${fd}`) !== path.join(root, rel)) throw changed();
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

/** Passes the chunks on, failing at the end unless they are exactly the layer's tar. */
async function* verified(diffId: string, size: number, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    length += chunk.length;
    yield chunk;
  }
  const digest = `sha256:${hash.digest('hex')}`;
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

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function cString(buf: Buffer): Buffer {
  const nul = buf.indexOf(0);
  return nul === -1 ? buf : buf.subarray(0, nul);
}

/** The name of a ustar header, with its prefix when the format has one (as the tar reader). */
function ustarName(block: Buffer): Buffer {
  let name = cString(block.subarray(0, 100));
  if (block.toString('latin1', 257, 263) === 'ustar\0') {
    const star = block.toString('latin1', 508, 512) === 'tar\0';
    const prefix = cString(block.subarray(345, 345 + (star ? 131 : 155)));
    if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
  }
  return name;
}

/** Octal or base-256, as the tar reader parses numbers; null when it is not a size. */
function numeric(block: Buffer, offset: number, length: number): number | null {
  const field = block.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    if (field[0]! & 0x40) return null;
    let value = 0;
    for (let i = 0; i < field.length; i++) value = value * 256 + (i === 0 ? field[i]! & 0x7f : field[i]!);
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, '');
  const end = text.indexOf('\0');
  const digits = end === -1 ? text : text.slice(0, end);
  if (digits === '') return 0;
  return /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : null;
}
