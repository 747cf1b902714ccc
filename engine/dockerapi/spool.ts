// Request bodies the engine reads as files (an archive to load or import,
// a build context): written to the service's private spool directory and
// removed once the request is done. The engine reads them as hostile input,
// as it reads any archive.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Exchange } from './exchange';

export async function withSpooledBody<T>(ex: Exchange, spoolDir: string, use: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(spoolDir, `body-${randomBytes(8).toString('hex')}`);
  try {
    await pipeline(ex.body, fs.createWriteStream(file, { mode: 0o600, flags: 'wx' }));
    return await use(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}
