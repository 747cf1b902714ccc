import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db';
import { sha256Digest } from '../oci/digest';
import { openStore, type Store } from '../store/store';
import { hostArchitecture } from '../oci/config';
import { importImage } from './import';

let root: string;
let db: Db;
let store: Store;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-import-'));
  db = openDb(path.join(root, 'strata.db'));
  store = openStore(db, root);
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A small root filesystem tar, as `tar -C rootfs -c .` would make it. */
async function rootfsTar(): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date('2024-01-01T00:00:00Z');
  pack.entry({ name: 'bin/', type: 'directory', mode: 0o755, mtime });
  pack.entry({ name: 'bin/hello', mode: 0o755, mtime }, '#!/bin/sh\necho hello\n');
  pack.entry({ name: 'etc/', type: 'directory', mode: 0o755, mtime });
  pack.entry({ name: 'etc/motd', mode: 0o600, mtime }, 'welcome\n');
  pack.entry({ name: 'etc/motd.link', type: 'symlink', linkname: 'motd', mtime });
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that records whether anyone read it. */
function watched(bytes: Buffer): Readable & { wasRead: () => boolean } {
  let read = false;
  const r = new Readable({
    read() {
      read = true;
      this.push(bytes);
      this.push(null);
    },
  });
  return Object.assign(r, { wasRead: () => read });
}

function nothingLeft(): void {
  expect(fs.readdirSync(path.join(root, 'layers'))).toEqual(['l']);
  expect(fs.readdirSync(path.join(root, 'layers', 'l'))).toEqual([]);
  expect(fs.readdirSync(path.join(root, 'blobs', 'sha256'))).toEqual([]);
  for (const table of ['layers', 'images', 'tags']) {
    expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
  }
}

describe('importImage', () => {
  it('makes a one-layer image like docker import', async () => {
    const bytes = await rootfsTar();
    const before = Date.now();
    const { id } = await importImage(store, { input: Readable.from([bytes]) });
    const image = store.images.getImage(id);
    expect(image.repoTags).toEqual([]);
    expect(image.config).toMatchObject({
      architecture: hostArchitecture(),
      os: 'linux',
      comment: 'Imported from -',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256Digest(bytes)] },
      history: [{ created: image.config.created, comment: 'Imported from -' }],
    });
    expect(Date.parse(image.config.created!)).toBeGreaterThanOrEqual(before - 1);
    const diff = store.layers.diffDir(image.topLayer!);
    expect(fs.readFileSync(path.join(diff, 'bin', 'hello'), 'utf8')).toBe('#!/bin/sh\necho hello\n');
    expect(fs.statSync(path.join(diff, 'bin', 'hello')).mode & 0o7777).toBe(0o755);
    expect(fs.statSync(path.join(diff, 'etc', 'motd')).mode & 0o7777).toBe(0o600);
    expect(fs.readlinkSync(path.join(diff, 'etc', 'motd.link'))).toBe('motd');
  });

  it('tags, applies changes and records the message', async () => {
    const { id } = await importImage(store, {
      input: Readable.from([await rootfsTar()]),
      reference: 'docker.io/library/mybox:1',
      changes: ['CMD ["/bin/hello"]', 'ENV A=1', 'EXPOSE 80'],
      message: 'from a test',
    });
    const image = store.images.resolveImage('mybox:1');
    expect(image.id).toBe(id);
    expect(image.config.config).toEqual({ Cmd: ['/bin/hello'], Env: ['A=1'], ExposedPorts: { '80/tcp': {} } });
    expect(image.config.comment).toBe('from a test');
    expect(image.config.history).toEqual([{ created: image.config.created, comment: 'from a test' }]);
  });

  it('takes a compressed tarball; the diff id is that of the tar inside', async () => {
    const bytes = await rootfsTar();
    const { id } = await importImage(store, { input: Readable.from([zlib.gzipSync(bytes)]) });
    expect(store.images.getImage(id).config.rootfs.diff_ids).toEqual([sha256Digest(bytes)]);
  });

  it('checks the reference and the changes before reading anything', async () => {
    const input = watched(await rootfsTar());
    await expect(importImage(store, { input, reference: 'Bad:tag' })).rejects.toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: 'invalid reference format: repository name must be lowercase' }),
    );
    await expect(importImage(store, { input, changes: ['RUN rm -rf /'] })).rejects.toThrow('run is not a valid change command');
    expect(input.wasRead()).toBe(false);
    nothingLeft();
  });

  it('refuses garbage with one line and leaves nothing behind', async () => {
    const err = await importImage(store, { input: Readable.from([Buffer.from('this is not a tar file\n'.repeat(100))]), reference: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'InvalidArgument' });
    expect((err as Error).message).not.toContain('\n');
    nothingLeft();
  });

  it('refuses an input that fails while being read, leaving nothing behind', async () => {
    const bytes = await rootfsTar();
    const failing = new Readable({
      read() {
        this.push(bytes.subarray(0, 1024));
        this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
      },
    });
    const err = await importImage(store, { input: failing }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'InvalidArgument' });
    expect((err as Error).message).toMatch(/i\/o error/);
    nothingLeft();
  });
});
