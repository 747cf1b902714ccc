// Reads a tar stream entry by entry (ustar, GNU and PAX, as Go's archive/tar,
// Docker's reader, does). Written here rather than with tar-stream because
// tar-stream decodes PAX values as UTF-8, which corrupts binary extended
// attributes such as security.capability. Every field is checked: a tar is
// hostile input, and a damaged one must fail with one clear line.

import { invalidArgument } from '../errors';
import { ByteSource } from './byteSource';

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarHeader {
  /** The path as stored (after PAX and GNU long names): not yet cleaned. */
  name: string;
  type: TarEntryType;
  /** Permission bits with setuid, setgid and sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of data; always 0 for types other than 'file'. */
  size: number;
  /** Seconds since the epoch; PAX headers may carry a fraction. */
  mtime: number;
  /** Target of a 'link' or 'symlink' entry, '' otherwise. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** From PAX `SCHILY.xattr.<name>` records, byte for byte. */
  xattrs: Map<string, Buffer>;
}

export interface TarEntry {
  header: TarHeader;
  /** The entry's data; whatever the consumer leaves unread is skipped. */
  body: AsyncIterable<Buffer>;
  /**
   * All of the data at once when it has already arrived (most small
   * files), taken without waiting; null when it must be read from body.
   */
  takeWhole(): Buffer | null;
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const EMPTY = Buffer.alloc(0);
const NO_XATTRS: Map<string, Buffer> = new Map();
/** Bound on PAX and GNU long-name payloads, which are held in memory. */
const MAX_META_SIZE = 1 << 20;
/**
 * Bytes after the first zero block that are taken (and hashed, as Docker
 * does): the second zero block and a writer's padding to its record size
 * (GNU tar's is 10 KiB; a blocking factor of 2048 makes 1 MiB). More is no
 * padding: an archive with megabytes after its end is refused.
 */
export const maxTrailer = 1 << 20;
const MAX_ID = 0xfffffffe; // (uid_t)-1 means "unchanged" to chown
const MAX_DEV = 0xffffffff; // what makedev() takes

const notTar = () => invalidArgument('invalid tar: not a tar archive');
const corrupt = (at: number, why: string) => invalidArgument(`invalid tar: ${why} in the header at byte ${at}`);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Sees a tar's framing as it is read: every byte but regular files'
 * content, in order, and where each file's content goes (what a tar-split
 * record keeps, to give the tar back byte for byte).
 */
export interface TarObserver {
  /** Headers, extended headers, padding, the end-of-archive blocks and what follows them. */
  raw(bytes: Buffer): void;
  /** The content of this regular file (header.size bytes) comes next in the tar. */
  content(header: TarHeader): void;
}

/**
 * The entries of a tar, in order. Ends at the end-of-archive marker (a zero
 * block) and then consumes the rest of the input (up to maxTrailer), so that
 * a digest computed upstream covers every byte, as Docker's does. A stream
 * that ends before the marker is truncated and throws.
 */
export async function* readTar(input: AsyncIterable<Buffer | string>, observer?: TarObserver): AsyncGenerator<TarEntry, void, undefined> {
  const src = new ByteSource(input[Symbol.asyncIterator]());
  /** Padding (or any bytes that are not content) passed by: read for an observer, skipped otherwise. */
  const pass = async (n: number) => (observer ? observer.raw(src.readNow(n) ?? (await src.read(n))) : src.skip(n));
  let pax: Map<string, Buffer> | null = null;
  let longName: Buffer | null = null;
  let longLink: Buffer | null = null;

  try {
    for (;;) {
      const at = src.position;
      const block =
        src.readNow(BLOCK) ??
        (await src.read(BLOCK).catch((err: unknown) => {
          // Fewer than 512 bytes in all: nothing here was ever a tar.
          throw at === 0 ? notTar() : err;
        }));
      observer?.raw(block);
      if (block.equals(ZERO_BLOCK)) {
        if (pax || longName || longLink) throw corrupt(at, 'extended header without an entry');
        if (!(await src.drain(maxTrailer, observer && ((bytes) => observer.raw(bytes))))) {
          throw invalidArgument(`invalid tar: more than ${maxTrailer >> 20} MiB of data after the end of the archive`);
        }
        return;
      }
      const raw = decodeBlock(block, at);
      if (raw.typeflag === 'x' || raw.typeflag === 'g' || raw.typeflag === 'L' || raw.typeflag === 'K') {
        if (raw.size > MAX_META_SIZE) throw corrupt(at, 'extended header too large');
        const data = await src.read(raw.size);
        observer?.raw(data);
        await pass(padding(raw.size));
        // Global PAX headers are ignored, as Docker's applier does.
        if (raw.typeflag === 'x') pax = parsePax(data, at);
        else if (raw.typeflag === 'L') longName = cString(data, 0, data.length);
        else if (raw.typeflag === 'K') longLink = cString(data, 0, data.length);
        continue;
      }

      const header = toHeader(raw, at, pax, longName, longLink);
      pax = longName = longLink = null;
      if (header.size > 0) observer?.content(header);
      let remaining = header.size;
      const body = (async function* () {
        while (remaining > 0) {
          const chunk = await src.readSome(remaining);
          remaining -= chunk.length;
          yield chunk;
        }
      })();
      const takeWhole = () => {
        if (header.size === 0) return EMPTY;
        if (remaining !== header.size) return null;
        const whole = src.readNow(remaining);
        if (whole) remaining = 0;
        return whole;
      };
      yield { header, body, takeWhole };
      await src.skip(remaining);
      await pass(padding(header.size));
    }
  } finally {
    // Stopped early (an error downstream): let the stages upstream release what they hold.
    await src.close();
  }
}

/** Zero bytes that round `size` up to a whole block. */
function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

interface RawHeader {
  name: Buffer;
  linkname: Buffer;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  devmajor: number;
  devminor: number;
}

function decodeBlock(block: Buffer, at: number): RawHeader {
  let stored: number;
  try {
    stored = parseNumeric(block, 148, 8, at, 'checksum');
  } catch (err) {
    if (at === 0) throw notTar();
    throw err;
  }
  // The sum with the checksum field counted as spaces; some old writers summed signed bytes.
  const unsigned = 8 * 0x20 + byteSum(block, 0, 148) + byteSum(block, 156, BLOCK);
  if (stored !== unsigned && stored !== unsigned - 256 * (highBytes(block, 0, 148) + highBytes(block, 156, BLOCK))) {
    throw at === 0 ? notTar() : corrupt(at, 'bad checksum');
  }

  // As Go detects formats: ustar (and star) have a name prefix; GNU, V7 and
  // anything else do not.
  let name = cString(block, 0, 100);
  if (block.toString('latin1', 257, 263) === 'ustar\0') {
    const star = block.toString('latin1', 508, 512) === 'tar\0';
    const prefix = cString(block, 345, star ? 131 : 155);
    if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
  }

  let typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
  // Old tars mark directories only by a trailing slash.
  if (block[156] === 0 && name.length > 0 && name[name.length - 1] === 0x2f) typeflag = '5';

  const raw = {
    name,
    linkname: cString(block, 157, 100),
    typeflag,
    mode: parseNumeric(block, 100, 8, at, 'mode'),
    uid: parseNumeric(block, 108, 8, at, 'uid'),
    gid: parseNumeric(block, 116, 8, at, 'gid'),
    size: parseNumeric(block, 124, 12, at, 'size'),
    mtime: parseNumeric(block, 136, 12, at, 'mtime'),
    devmajor: parseNumeric(block, 329, 8, at, 'devmajor'),
    devminor: parseNumeric(block, 337, 8, at, 'devminor'),
  };
  // Base-256 fields can say anything, negative numbers included.
  if (raw.size < 0) throw corrupt(at, 'invalid size');
  if (raw.mode < 0) throw corrupt(at, 'invalid mode');
  return raw;
}

/**
 * The sum of bytes [from, to) of a header block (both multiples of 4). Every
 * header is summed, so four bytes at a time when the block is 4-aligned in
 * memory (as reads give it): two 16-bit lanes, which cannot overflow in 128 words.
 */
function byteSum(block: Buffer, from: number, to: number): number {
  let sum = 0;
  if ((block.byteOffset & 3) === 0) {
    const words = new Uint32Array(block.buffer, block.byteOffset + from, (to - from) >> 2);
    let lanes = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      lanes += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
    }
    return (lanes & 0xffff) + (lanes >>> 16);
  }
  for (let i = from; i < to; i++) sum += block[i]!;
  return sum;
}

/** How many bytes of [from, to) are 128 or more (each counts 256 less in a signed sum). */
function highBytes(block: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += block[i]! >> 7;
  return n;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '7': 'file', // contiguous file: a regular file everywhere but on a few old systems
  '1': 'link',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

function toHeader(
  raw: RawHeader,
  at: number,
  pax: Map<string, Buffer> | null,
  longName: Buffer | null,
  longLink: Buffer | null,
): TarHeader {
  let nameBytes = longName ?? raw.name;
  let linkBytes = longLink ?? raw.linkname;
  let { size, uid, gid, mtime } = raw;
  // Most entries have none: they share one empty map (consumers only read it).
  const xattrs = pax ? new Map<string, Buffer>() : NO_XATTRS;
  for (const [key, value] of pax ?? []) {
    if (key === 'path') nameBytes = value;
    else if (key === 'linkpath') linkBytes = value;
    else if (key === 'size') size = paxInteger(value, at, key);
    else if (key === 'uid') uid = paxInteger(value, at, key);
    else if (key === 'gid') gid = paxInteger(value, at, key);
    else if (key === 'mtime') mtime = paxTime(value, at);
    else if (key.startsWith('SCHILY.xattr.')) xattrs.set(key.slice('SCHILY.xattr.'.length), value);
    else if (key.startsWith('GNU.sparse.')) throw corrupt(at, 'sparse file (not supported)');
  }

  const name = decodeName(nameBytes, 'name');
  const type = TYPES[raw.typeflag];
  if (!type) throw invalidArgument(`invalid tar entry: ${shown(name)}: unsupported entry type '${shown(raw.typeflag)}'`);
  if (!(uid >= 0 && uid <= MAX_ID && gid >= 0 && gid <= MAX_ID)) {
    throw invalidArgument(`invalid tar entry: ${shown(name)}: uid or gid out of range`);
  }
  const inRange = (n: number) => n >= 0 && n <= MAX_DEV;
  if ((type === 'char' || type === 'block') && !(inRange(raw.devmajor) && inRange(raw.devminor))) {
    throw invalidArgument(`invalid tar entry: ${shown(name)}: device number out of range`);
  }
  if (type === 'file' && !Number.isSafeInteger(size)) throw corrupt(at, 'invalid size');
  for (const key of xattrs.keys()) {
    if (key === '' || key.includes('\0')) throw invalidArgument(`invalid tar entry: ${shown(name)}: invalid xattr name`);
  }
  return {
    name,
    type,
    mode: raw.mode & 0o7777,
    uid,
    gid,
    // Go's reader (and so Docker) reads data only for regular files.
    size: type === 'file' ? size : 0,
    mtime,
    linkname: type === 'link' || type === 'symlink' ? decodeName(linkBytes, 'link target') : '',
    devmajor: raw.devmajor,
    devminor: raw.devminor,
    xattrs,
  };
}

/** Names must be UTF-8 without NUL: the engine's paths are JavaScript strings. */
function decodeName(bytes: Buffer, what: string): string {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    throw invalidArgument(`invalid tar entry: ${what} is not valid UTF-8: ${shown(bytes.toString('latin1'))}`);
  }
  if (s.includes('\0')) throw invalidArgument(`invalid tar entry: ${what} contains a NUL byte: ${shown(s)}`);
  return s;
}

/** A name made safe for a one-line message: escaped control characters, bounded length. */
export function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

/** Bytes up to the first NUL within [offset, offset+length). */
function cString(buf: Buffer, offset: number, length: number): Buffer {
  let end = offset;
  while (end < offset + length && buf[end] !== 0) end++;
  return buf.subarray(offset, end);
}

/** Octal (padded with spaces or NULs) or, with the high bit set, base-256 big-endian. */
function parseNumeric(block: Buffer, offset: number, length: number, at: number, what: string): number {
  // Read in place (seven fields of every header: no views made).
  if (block[offset]! & 0x80) {
    const negative = (block[offset]! & 0x40) !== 0;
    let value = 0;
    for (let i = offset; i < offset + length; i++) {
      let b = negative ? ~block[i]! & 0xff : block[i]!;
      if (i === offset) b &= 0x7f;
      value = value * 256 + b;
    }
    if (!Number.isSafeInteger(value)) throw corrupt(at, `invalid ${what}`);
    return negative ? -value - 1 : value;
  }
  // Spaces and NULs around the digits; the digits end at the first NUL.
  let start = offset;
  let end = offset + length;
  while (start < end && (block[start] === 0x20 || block[start] === 0)) start++;
  while (end > start && (block[end - 1] === 0x20 || block[end - 1] === 0)) end--;
  let value = 0;
  for (let i = start; i < end && block[i] !== 0; i++) {
    const digit = block[i]! - 0x30;
    if (digit < 0 || digit > 7) throw corrupt(at, `invalid ${what}`);
    value = value * 8 + digit;
  }
  return value;
}

/** PAX records: "<length> <key>=<value>\n", values kept as raw bytes. */
function parsePax(data: Buffer, at: number): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const lengthText = space > 0 ? rest.toString('latin1', 0, space) : '';
    const length = /^[0-9]+$/.test(lengthText) ? parseInt(lengthText, 10) : NaN;
    if (!(length > space + 1 && length <= rest.length) || rest[length - 1] !== 0x0a) {
      throw corrupt(at, 'malformed PAX record');
    }
    const record = rest.subarray(space + 1, length - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw corrupt(at, 'malformed PAX record');
    records.set(record.toString('utf8', 0, eq), record.subarray(eq + 1));
    rest = rest.subarray(length);
  }
  return records;
}

function paxInteger(value: Buffer, at: number, key: string): number {
  const text = value.toString('latin1');
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) throw corrupt(at, `invalid PAX ${key}`);
  return Number(text);
}

function paxTime(value: Buffer, at: number): number {
  const text = value.toString('latin1');
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) throw corrupt(at, 'invalid PAX mtime');
  return Number(text);
}
