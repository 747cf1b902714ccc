// Encodes tar headers the way Go's archive/tar does for Docker: ustar when
// the entry fits, a PAX extended header before it when it does not (long or
// non-ASCII names, big numbers, extended attributes). PAX values are raw bytes,
// so binary attributes such as security.capability travel intact.

import type { TarEntryType } from './tarReader';

export interface TarWriteHeader {
  /** As stored: 'etc/' for a directory, 'etc/passwd' for a file. */
  name: string;
  type: TarEntryType;
  /** The mode field as Go writes it: st_mode, file type bits included. */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of data that follow; 0 for everything but files. */
  size: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Written as PAX `SCHILY.xattr.<name>` records. */
  xattrs?: Iterable<[string, Buffer]>;
}

/** Two zero blocks end an archive. */
export const endOfArchive = Buffer.alloc(1024);

const TYPEFLAGS: Record<TarEntryType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};

/** The header block(s) of one entry: a PAX header first when ustar cannot hold it. */
export function encodeHeader(h: TarWriteHeader): Buffer {
  const records: Array<[string, Buffer]> = [];
  const split = splitUstarPath(h.name);
  if (!split) records.push(['path', Buffer.from(h.name)]);
  const linkname = h.linkname ?? '';
  if (!isAscii(linkname) || Buffer.byteLength(linkname) > 100) records.push(['linkpath', Buffer.from(linkname)]);
  if (!fitsOctal(h.uid, 8)) records.push(['uid', Buffer.from(String(h.uid))]);
  if (!fitsOctal(h.gid, 8)) records.push(['gid', Buffer.from(String(h.gid))]);
  if (!fitsOctal(h.size, 12)) records.push(['size', Buffer.from(String(h.size))]);
  if (!fitsOctal(h.mtime, 12)) records.push(['mtime', Buffer.from(String(h.mtime))]);
  for (const [name, value] of h.xattrs ?? []) records.push([`SCHILY.xattr.${name}`, value]);

  const block = Buffer.alloc(512);
  if (split) {
    writeString(block, 0, 100, split.name);
    writeString(block, 345, 155, split.prefix);
  } else {
    writeString(block, 0, 100, bestEffort(h.name));
  }
  writeOctal(block, 100, 8, h.mode);
  writeOctal(block, 108, 8, fitsOctal(h.uid, 8) ? h.uid : 0);
  writeOctal(block, 116, 8, fitsOctal(h.gid, 8) ? h.gid : 0);
  writeOctal(block, 124, 12, fitsOctal(h.size, 12) ? h.size : 0);
  writeOctal(block, 136, 12, fitsOctal(h.mtime, 12) ? h.mtime : 0);
  block.write(TYPEFLAGS[h.type], 156, 'latin1');
  writeString(block, 157, 100, bestEffort(linkname));
  writeUstarMagic(block);
  writeDevice(block, 329, h.devmajor ?? 0);
  writeDevice(block, 337, h.devminor ?? 0);
  writeChecksum(block);
  if (records.length === 0) return block;
  return Buffer.concat([paxHeader(h.name, records), block]);
}

/** Zero bytes that round `size` up to a whole block. */
export function paddingFor(size: number): Buffer {
  return endOfArchive.subarray(0, (512 - (size % 512)) % 512);
}

function paxHeader(name: string, records: Array<[string, Buffer]>): Buffer {
  // Go writes records sorted by key, as bytes.
  records.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const data = Buffer.concat(records.map(([key, value]) => paxRecord(key, value)));
  // Go names the extended header <dir>/PaxHeaders.0/<file>.
  const trimmed = name.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const paxName = `${trimmed.slice(0, slash + 1)}PaxHeaders.0/${trimmed.slice(slash + 1)}`;
  const block = Buffer.alloc(512);
  writeString(block, 0, 100, bestEffort(paxName).replace(/\/+$/, ''));
  writeOctal(block, 100, 8, 0);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, data.length);
  writeOctal(block, 136, 12, 0);
  block.write('x', 156, 'latin1');
  writeUstarMagic(block);
  writeChecksum(block);
  return Buffer.concat([block, data, paddingFor(data.length)]);
}

/** "<length> <key>=<value>\n" where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = body.length + String(body.length).length;
  if (String(length).length !== String(body.length).length) length = body.length + String(length).length;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

/** ustar holds an ASCII path of up to 100 bytes, or 155 + '/' + 100 split at a slash. */
function splitUstarPath(name: string): { prefix: string; name: string } | null {
  if (!isAscii(name)) return null;
  if (name.length <= 100) return { prefix: '', name };
  let length = Math.min(name.length, 156);
  if (length === name.length && name.endsWith('/')) length--;
  const i = name.lastIndexOf('/', length - 1);
  const suffix = name.length - i - 1;
  if (i <= 0 || suffix === 0 || suffix > 100 || i > 155) return null;
  return { prefix: name.slice(0, i), name: name.slice(i + 1) };
}

function isAscii(s: string): boolean {
  return /^[\x01-\x7f]*$/.test(s);
}

/** What Go puts in a ustar field that a PAX record overrides: the ASCII characters, cut to fit. */
function bestEffort(s: string): string {
  return s.replace(/[^\x01-\x7f]/g, '').slice(0, 100);
}

function fitsOctal(value: number, field: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < 8 ** (field - 1);
}

function writeString(block: Buffer, offset: number, length: number, s: string): void {
  block.write(s, offset, length, 'latin1');
}

/** Zero-padded octal digits and a NUL, as Go writes them ("0000644\0"). */
function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

/** Device numbers have no PAX key: too big for octal, they go base-256 as GNU tar writes them. */
function writeDevice(block: Buffer, offset: number, value: number): void {
  if (fitsOctal(value, 8)) {
    writeOctal(block, offset, 8, value);
    return;
  }
  let v = value;
  for (let i = 7; i > 0; i--) {
    block[offset + i] = v % 256;
    v = Math.floor(v / 256);
  }
  block[offset] = 0x80;
}

function writeUstarMagic(block: Buffer): void {
  block.write('ustar\x0000', 257, 8, 'latin1');
}

/** Sum of the bytes with the checksum field as spaces; six octal digits, NUL, space. */
function writeChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
}
