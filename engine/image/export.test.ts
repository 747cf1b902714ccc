// export: the container's merged file system as one flat tar (deleted files
// gone, no whiteouts, no image metadata, the init layer's empty mount points
// as in Docker's export), which import turns into a one-layer image.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar, type TarHeader } from '../fs/tarReader';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let work: string;
beforeAll(async () => {
  t = await tempEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-export-'));
});
afterAll(async () => {
  await t?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

async function headers(file: string): Promise<TarHeader[]> {
  const out: TarHeader[] = [];
  for await (const { header } of readTar(Readable.from([fs.readFileSync(file)]))) out.push(header);
  return out;
}

describe('export', () => {
  it('writes the merged file system without whiteouts or metadata; import makes it a one-layer image', async () => {
    const r = await t.run(['sh', '-c', 'echo exported > /exported.txt && rm /etc/group && mkdir /d && ln -s ../exported.txt /d/link']);
    const file = path.join(work, 'c.tar');
    await t.client.call('container.exportFile', { id: r.id, path: file });
    const entries = await headers(file);
    const names = entries.map((h) => h.name);
    expect(names).toContain('exported.txt');
    expect(names).toContain('bin/busybox');
    expect(names).toContain('etc/passwd');
    expect(names).not.toContain('etc/group');
    expect(names.some((n) => n.includes('.wh.'))).toBe(false);
    expect(names.some((n) => n === 'manifest.json' || n.startsWith('blobs/'))).toBe(false);
    // As docker export: the launcher's mount points are there, empty.
    expect(entries.find((h) => h.name === 'etc/hostname')).toMatchObject({ type: 'file', size: 0 });
    expect(entries.find((h) => h.name === 'd/link')).toMatchObject({ type: 'symlink', linkname: '../exported.txt' });

    const { id } = await t.client.call('image.import', { path: file, reference: 'flat:1' });
    const image = await t.client.call('image.inspect', { ref: 'flat:1' });
    expect(image.RootFS.Layers).toHaveLength(1);
    expect(image.Id).toBe(id);
    const run = await t.client.call('container.create', { image: 'flat:1', cmd: ['sh', '-c', 'cat /d/link; ls /etc'] });
    expect((await collect(t.client, run.id)).stdout).toBe('exported\nhostname\nhosts\npasswd\nresolv.conf\n');
  });

  it('streams the same bytes, and refuses an unknown container', async () => {
    const r = await t.run(['true']);
    const file = path.join(work, 'same.tar');
    await t.client.call('container.exportFile', { id: r.id, path: file });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) =>
      t.client.open('container.export', { id: r.id }, {
        onMessage: (m) => chunks.push(Buffer.from(m.data)),
        onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
      }),
    );
    expect(Buffer.concat(chunks).equals(fs.readFileSync(file))).toBe(true);
    await expect(t.client.call('container.exportFile', { id: 'nope', path: path.join(work, 'x.tar') })).rejects.toThrow('No such container: nope');
    expect(fs.readdirSync(work).filter((n) => n.startsWith('.x.tar'))).toEqual([]);
  });
});
