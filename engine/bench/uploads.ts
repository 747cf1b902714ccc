// Loading from the app beside loading from a file: a 100 MB archive picked
// in Chromium's file input and sent by the app (renderer/src/data/upload.ts:
// pieces of just under 64 KiB read a megabyte at a time, base64 in JSON over
// the browser host's websocket, at most 4 MiB ahead of the engine's
// acknowledgements) against `load -i` of the same archive through the
// engine's API, measured alternately in the same run.
// And the hard-link-aware waste of a stack beside a walk that stats it once.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { imageLayers } from '../explore/context';
import { wastedPerLayer } from '../explore/wasted';
import { HeldDir } from '../fs/heldDir';
import type { LocalClient } from '../rpc/local';
import { collect, type TempEngine } from '../testing/tempEngine';
import { median, time, type BenchRow } from './images';

const runs = 5;

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The page is the app, live, on `engine`'s root. */
export async function loadFromApp(engine: TempEngine, page: Page): Promise<BenchRow> {
  const call = engine.client.call.bind(engine.client) as LocalClient['call'];
  const { id } = await call('container.create', {
    image: engine.image,
    cmd: ['sh', '-c', 'mkdir /data && for i in $(seq 1 200); do head -c 524288 /dev/urandom > /data/f$i; done'],
    networkMode: 'none',
  });
  if ((await collect(engine.client, id)).exitCode !== 0) throw new Error('the upload benchmark container could not write its files');
  await call('container.commit', { id, reference: 'bench/upload:1' });
  await call('container.remove', { id });
  const archive = path.join(engine.root, 'bench-upload.tar');
  await call('image.saveFile', { refs: ['bench/upload:1'], path: archive });
  const size = fs.statSync(archive).size;
  const fromFile: number[] = [];
  const fromApp: number[] = [];
  const strip = page.getByRole('region', { name: 'Commands' }).locator('.strip-latest');
  try {
    for (let i = 0; i < runs; i++) {
      // Each load finds the store without the image (removed unmeasured), as a first load does.
      await call('image.remove', { ref: 'bench/upload:1', force: true });
      fromFile.push(await time(() => call('image.load', { path: archive })));
      await call('image.remove', { ref: 'bench/upload:1', force: true });
      await page.goto(`${new URL(page.url()).origin}/#/images`);
      await page.getByRole('button', { name: 'Load…', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Load images from an archive' });
      await dialog.getByLabel('Archive').setInputFiles(archive);
      fromApp.push(
        await time(async () => {
          await dialog.getByRole('button', { name: 'Load', exact: true }).click();
          await strip.filter({ hasText: 'Loaded image: bench/upload:1' }).waitFor({ timeout: 120_000 });
        }),
      );
    }
  } finally {
    await call('image.remove', { ref: 'bench/upload:1', force: true }).catch(() => undefined);
    fs.rmSync(archive, { force: true });
  }
  const ratio = median(fromApp) / median(fromFile);
  const rate = size / 1e6 / (median(fromApp) / 1000);
  return {
    what: `Load from the app: a ${(size / 1e6).toFixed(0)} MB archive uploaded from Chromium`,
    median: `${ms(median(fromApp))}, ${rate.toFixed(0)} MB/s (${ratio.toFixed(1)}× load -i)`,
    floor: `load -i of the file ${ms(median(fromFile))}`,
    // The file goes as base64 in JSON over a websocket, read by the browser on the same 2 cores: a person waits for its rate.
    target: '≥ 20 MB/s: a 1 GB archive in under a minute',
    ok: rate >= 20,
  };
}

/** Wasted bytes of the starter image with one of its busybox hard links deleted on top, beside one walk of its files. */
export async function wasteBenchmark(client: LocalClient, image: string): Promise<BenchRow> {
  const call = client.call.bind(client) as LocalClient['call'];
  const { id } = await call('container.create', { image, cmd: ['rm', '/bin/ls'], networkMode: 'none' });
  await collect(client, id);
  await call('container.commit', { id, reference: 'bench:no-ls' });
  await call('container.remove', { id });
  const { dirs } = imageLayers(client.engine.images.store, 'bench:no-ls');
  // The floor reads every entry's inode once, as du does: what any size that counts hard links once must do,
  // through the one safe walker (fs/heldDir.ts) as the waste is; the same walk by path is shown beside it,
  // for what holding each directory costs.
  const heldWalk = (dir: HeldDir): number =>
    dir.entries().reduce((n, e) => {
      fs.lstatSync(dir.at(e.name));
      return n + 1 + (e.isDirectory() ? (dir.withDir(e.name, heldWalk) ?? 0) : 0);
    }, 0);
  const pathWalk = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
      const p = path.join(dir, e.name);
      fs.lstatSync(p);
      return n + 1 + (e.isDirectory() ? pathWalk(p) : 0);
    }, 0);
  const waste: number[] = [];
  const floor: number[] = [];
  const byPath: number[] = [];
  let wasted: number[] = [];
  for (let i = 0; i < 21; i++) {
    floor.push(await time(() => dirs.forEach((d) => HeldDir.within(d, heldWalk))));
    byPath.push(await time(() => dirs.forEach(pathWalk)));
    waste.push(await time(() => (wasted = wastedPerLayer(dirs))));
  }
  await call('image.remove', { ref: 'bench:no-ls' });
  const ratio = median(waste) / median(floor);
  return {
    what: 'wasted bytes: the starter with one hard link deleted',
    median: `${median(waste).toFixed(2)} ms (${ratio.toFixed(1)}×), ${wasted.join(' + ')} B wasted`,
    floor: `one held walk of its layers, an lstat per entry ${median(floor).toFixed(2)} ms (by path ${median(byPath).toFixed(2)} ms)`,
    target: '≤ 2× that walk; 0 B wasted',
    ok: ratio <= 2 && wasted.every((w) => w === 0),
  };
}
