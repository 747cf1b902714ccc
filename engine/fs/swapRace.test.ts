// A running container that keeps swapping one of its directories with a
// symlink to a host directory (renameat2 RENAME_EXCHANGE) while the engine
// reads its writable layer: export, commit without pause, diff and the app's
// tree view and file details must never show the host directory's files. Each reader walks
// the layer through held directories (heldDir.ts), so the test runs each of
// them hundreds of times against the swapping container.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSwapdir } from '../testing/swapdir';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let work: string;
let canary: string;
let secret: string;
let id: string;

const rounds = 200;
const canaryOwner = 4242;
const canaryTime = new Date('2001-02-03T04:05:06Z');

/** Files under `dir` named like the host's, or holding its secret. */
function hostTraces(dir: string): string[] {
  const script = 'find "$1" -name "canary-*"; grep -rlF -- "$2" "$1" || true';
  return execFileSync('sh', ['-c', script, 'sh', dir, secret], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function exportBytes(ref: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) =>
    t.client.open('container.export', { id: ref }, {
      onMessage: (m) => chunks.push(Buffer.from(m.data)),
      onEnd: (err) => (err ? reject(new Error(err.message)) : resolve(Buffer.concat(chunks))),
    }),
  );
}

beforeAll(async () => {
  t = await tempEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-swap-'));
  // The host directory the container's symlink names: nothing of it may leave the host.
  canary = path.join(work, 'canary');
  secret = `HOST-CANARY-${randomBytes(8).toString('hex')}`;
  fs.mkdirSync(path.join(canary, 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(canary, 'canary-secret.txt'), secret);
  // The same name as the container's own file: a reader led to the host finds it where it looks.
  // Its owner and date are the host's own too, so details describing it give themselves away.
  fs.writeFileSync(path.join(canary, 'inside.txt'), secret);
  fs.chownSync(path.join(canary, 'inside.txt'), canaryOwner, canaryOwner);
  fs.utimesSync(path.join(canary, 'inside.txt'), canaryTime, canaryTime);
  fs.writeFileSync(path.join(canary, 'deeper', 'canary-deeper.txt'), secret);
  const tools = path.join(work, 'tools');
  fs.mkdirSync(tools);
  buildSwapdir(path.join(tools, 'swapdir'), { static: true });
  const created = await t.client.call('container.create', {
    image: t.image,
    binds: [`${tools}:/tools:ro`],
    cmd: ['sh', '-c', `mkdir /victim && echo inside > /victim/inside.txt && exec /tools/swapdir /victim /swaplink ${canary} 0`],
  });
  id = created.id;
  await t.client.call('container.start', { id });
  const upper = path.join(t.root, 'containers', id, 'upper');
  for (let i = 0; i < 500 && !fs.existsSync(path.join(upper, 'swaplink')); i++) await new Promise((r) => setTimeout(r, 10));
  expect(fs.lstatSync(path.join(upper, 'swaplink'))).toBeTruthy();
}, 60_000);

afterAll(async () => {
  await t?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a container swapping a directory with a symlink to the host', () => {
  it('is really swapping while the readers run', async () => {
    const kinds = new Set<string>();
    const upper = path.join(t.root, 'containers', id, 'upper');
    for (const end = Date.now() + 5000; Date.now() < end && kinds.size < 2; ) {
      try {
        kinds.add(fs.lstatSync(path.join(upper, 'victim')).isDirectory() ? 'dir' : 'symlink');
      } catch {
        // between the two names for an instant
      }
    }
    expect([...kinds].sort()).toEqual(['dir', 'symlink']);
    expect((await t.client.call('container.inspect', { id })).State.Status).toBe('running');
  });

  it('never exports a host file', async () => {
    let sawInside = 0;
    for (let i = 0; i < rounds; i++) {
      const tar = await exportBytes(id);
      expect(tar.includes(secret)).toBe(false);
      expect(tar.includes('canary-')).toBe(false);
      if (tar.includes('inside.txt')) sawInside++;
    }
    // The directory itself was exported, under one name or the other, whenever the walk met it as one.
    expect(sawInside).toBeGreaterThan(0);
  }, 300_000);

  it('never lists a host file in diff or in the tree view', async () => {
    for (let i = 0; i < rounds; i++) {
      const changes = await t.client.call('container.changes', { id });
      expect(changes.filter((c) => c.path.includes('canary-'))).toEqual([]);
      for (const dir of ['/victim', '/swaplink']) {
        try {
          const entries = await t.client.call('container.tree', { id, path: dir });
          expect(entries.filter((e) => e.name.includes('canary-'))).toEqual([]);
        } catch (err) {
          // Caught as a symlink that leads nowhere inside the container: not a directory there.
          expect((err as { code?: string }).code).toBe('InvalidArgument');
        }
      }
    }
  }, 300_000);

  it('never describes or previews a host file in a file’s details', async () => {
    const upper = path.join(t.root, 'containers', id, 'upper');
    let sawInside = 0;
    for (let i = 0; i < rounds; i++) {
      for (const p of ['/victim/inside.txt', '/swaplink/inside.txt']) {
        const f = await t.client.call('container.file', { id, path: p }).catch((err: { code?: string }) => {
          // Met as a symlink that leads nowhere inside the container, or gone between two names.
          expect(['NotFound', 'InvalidArgument']).toContain(err.code);
          return null;
        });
        if (f === null) continue;
        const text = Buffer.from(f.preview?.data ?? []).toString();
        expect(text).not.toContain(secret);
        expect(f).toMatchObject({ layer: 'rw', uid: 0, size: 'inside\n'.length });
        expect(f.modified).not.toBe(canaryTime.toISOString());
        expect(f.hostPath.startsWith(`${upper}/`)).toBe(true);
        if (text === 'inside\n') sawInside++;
      }
    }
    // The container's own file was described, whenever the walk met its directory as one.
    expect(sawInside).toBeGreaterThan(0);
  }, 300_000);

  it('never commits a host file without pausing', async () => {
    for (let i = 0; i < rounds; i++) await t.client.call('container.commit', { id, pause: false });
    const layers = path.join(t.root, 'layers');
    expect(hostTraces(layers)).toEqual([]);
    // The swapped directory itself was committed, under one name or the other.
    expect(execFileSync('find', [layers, '-name', 'inside.txt'], { encoding: 'utf8' })).not.toBe('');
  }, 300_000);
});
