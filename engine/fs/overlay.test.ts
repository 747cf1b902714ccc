import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { checkUpperDirFilesystem, overlayMountData } from './overlay';
import { unpackLayer } from './tarUnpack';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-overlay-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function layerTar(entries: Array<Partial<tar.Header> & { name: string; body?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const { body, ...h } of entries) {
    if (!h.type || h.type === 'file') pack.entry(h, body ?? '');
    else pack.entry(h);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Runs `script` in a private mount namespace with `mounts` made first; the
 * mounts vanish with the namespace when the script ends.
 */
function inMountNamespace(mounts: string, script: string): string {
  return execFileSync('unshare', ['-m', 'sh', '-euc', `${mounts}\n${script}`], { encoding: 'utf8' });
}

describe('checkUpperDirFilesystem', () => {
  it('accepts ext4 and tmpfs', () => {
    expect(checkUpperDirFilesystem(tmp)).toBe('ext4');
    expect(checkUpperDirFilesystem('/dev/shm')).toBe('tmpfs');
  });

  it('refuses a directory on overlayfs, naming it', async () => {
    for (const d of ['lower', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(tmp, d));
    const data = `lowerdir=${tmp}/lower,upperdir=${tmp}/upper,workdir=${tmp}/work`;
    // A process holds a private namespace with the overlay; its /proc/<pid>/root shows that view.
    const holder = spawn('unshare', ['-m', 'sh', '-euc', `mount -t overlay overlay -o "${data}" "${tmp}/merged"; echo ready; exec sleep 30`]);
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`mount failed (${code})`)));
      });
      const err = (() => {
        try {
          checkUpperDirFilesystem(`/proc/${holder.pid}/root${tmp}/merged`);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe('Unavailable');
      expect((err as EngineError).message).toBe(
        `the engine root /proc/${holder.pid}/root${tmp}/merged is on overlayfs, which cannot host an overlay upper dir`,
      );
    } finally {
      holder.kill();
    }
  });
});

describe('overlayMountData', () => {
  it('lists lower dirs top first, then upper and work dirs, with index=off', () => {
    const data = overlayMountData({ lowerShorts: ['l/AAA', 'l/BBB'], upperDir: '/r/containers/c/upper', workDir: '/r/containers/c/work' });
    expect(data.startsWith('lowerdir=l/AAA:l/BBB,upperdir=/r/containers/c/upper,workdir=/r/containers/c/work')).toBe(true);
    expect(fs.existsSync('/sys/module/overlay/parameters/index')).toBe(true);
    expect(data.split(',')).toContain('index=off');
  });

  it('refuses mount data longer than a page, and paths overlay cannot parse', () => {
    const shorts = Array.from({ length: 128 }, (_, i) => `l/${String(i).padStart(26, 'X')}`);
    expect(overlayMountData({ lowerShorts: shorts, upperDir: '/u', workDir: '/w' }).length).toBeLessThan(4096);
    expect(() => overlayMountData({ lowerShorts: [...shorts, ...shorts], upperDir: '/u', workDir: '/w' })).toThrow(
      /^too many layers: the overlay mount data is \d+ bytes, more than one page \(4096\)$/,
    );
    expect(() => overlayMountData({ lowerShorts: ['/a:b'], upperDir: '/u', workDir: '/w' })).toThrow(
      "overlay cannot mount /a:b: the path contains ':'",
    );
    expect(() => overlayMountData({ lowerShorts: ['l/A'], upperDir: '/u,x', workDir: '/w' })).toThrow(
      "overlay cannot mount /u,x: the path contains ','",
    );
  });

  it('mounts layers written by unpackLayer: whiteouts and opaque directories hide what is below', async () => {
    const [base, top, upper, work, merged] = ['base', 'top', 'upper', 'work', 'merged'].map((d) => {
      fs.mkdirSync(path.join(tmp, d));
      return path.join(tmp, d);
    }) as [string, string, string, string, string];
    await unpackLayer(
      Readable.from([
        await layerTar([
          { name: 'etc/motd', body: 'hello' },
          { name: 'etc/keep', body: 'kept' },
          { name: 'cache/a', body: 'a' },
          { name: 'cache/b', body: 'b' },
        ]),
      ]),
      base,
    );
    await unpackLayer(
      Readable.from([await layerTar([{ name: 'etc/.wh.motd' }, { name: 'cache/.wh..wh..opq' }, { name: 'cache/c', body: 'c' }])]),
      top,
    );
    // The shim mounts from the layers dir with relative short links; absolute dirs work the same.
    const data = overlayMountData({ lowerShorts: [top, base], upperDir: upper, workDir: work });
    const out = inMountNamespace(
      `mount -t overlay overlay -o "${data}" "${merged}"`,
      `cd "${merged}"; ls etc; echo --; ls cache; echo --; echo new > etc/added; rm etc/keep; grep -c "${merged}" /proc/self/mounts`,
    );
    expect(out).toBe('keep\n--\nc\n--\n1\n');
    // The container's writes landed in the upper dir, as overlay records them.
    expect(fs.readFileSync(path.join(upper, 'etc/added'), 'utf8')).toBe('new\n');
    const deleted = fs.lstatSync(path.join(upper, 'etc/keep'));
    expect([deleted.isCharacterDevice(), deleted.rdev]).toEqual([true, 0]);
    // Nothing leaked out of the namespace.
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(merged);
  });
});
