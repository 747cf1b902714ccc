// What counts as a tar archive, as Docker tells: after any decompression
// (gzip, bzip2, xz, zstd, by their magic bytes) the first block is a tar
// header with a valid checksum. ADD unpacks such a file; standard input that
// is one is a build context, and otherwise it is a Dockerfile.

import fs from 'node:fs';
import { decompressed } from '../fs/decompress';

/** Whether ADD unpacks the file: its (decompressed) start is a tar header. */
export async function isTarArchive(file: string): Promise<boolean> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of decompressed(fs.createReadStream(file))) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= 512) break;
    }
  } catch {
    return false; // not a valid compressed stream: copied as it is
  }
  return isTarHeader(Buffer.concat(chunks));
}

/** A first tar header block with a valid checksum, as Go's tar reader checks it. */
export function isTarHeader(head: Buffer): boolean {
  const block = head.subarray(0, 512);
  if (block.length < 512 || block.every((b) => b === 0)) return false;
  const stored = Number.parseInt(block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').trim(), 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}
