// Image exchange from the app: commit a container's writable layer as a new
// image, save an image as an archive, export a container's file system.
// Needs the engine's container.commit, image.save and container.export.

import fs from 'node:fs';
import { expect, test } from './support/fixtures';
import { tarEntries } from './support/tar';

test('commit a container and see the new image with one more layer', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-commit', command: "sh -c 'echo committed > /committed.txt; exec sleep 600'", interactive: false });
  await c.press('Start');
  await c.expectState('running');
  await c.press('Kill');
  await c.expectState('exited');
  const image = await c.commit('e2e-committed:v1');
  // The starter's one layer, and the container's writable layer as the new top one.
  await image.expectLayerCount(2);
  await app.screenshot('committed-image');
});

test('save an image and receive the archive', async ({ app }) => {
  const images = await app.images();
  const file = await images.save('starter');
  const names = await tarEntries(file);
  expect(names).toContain('manifest.json');
  // The layer travels either way docker writes it: an OCI blob, or a layer.tar beside its config.
  expect(names.some((n) => n.startsWith('blobs/sha256/') || n.endsWith('/layer.tar'))).toBe(true);
  await app.screenshot('saved');
});

test('export a container and receive its file system as a tar', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-export', command: "sh -c 'echo exported > /exported.txt; exec sleep 600'", interactive: false });
  await c.press('Start');
  await c.expectState('running');
  await c.press('Kill');
  await c.expectState('exited');
  const file = await c.export();
  expect(fs.statSync(file).size).toBeGreaterThan(0);
  const names = await tarEntries(file);
  expect(names).toContain('exported.txt');
  expect(names.some((n) => n === 'bin/sh' || n === 'bin/busybox')).toBe(true);
  await app.screenshot('exported');
});
