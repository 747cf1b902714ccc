// A click on a file shows what a learner asks of it: the layer it comes
// from, its host path, the copy it hides below, and its content — in a
// container (a file changed, so copied up into the writable layer) and in an
// image's merged view (a program: binary).

import fs from 'node:fs';
import { expect, test } from './support/fixtures';

test('a changed file shows the writable layer’s copy, the image copy it hides, both host paths and its content', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-details', command: 'sh -c "echo visitor:x:1000:1000::/home:/bin/sh >> /etc/passwd"', interactive: false });
  await c.press('Start');
  await c.expectState('exited');
  const details = await c.openChange('/etc/passwd');
  await expect(details).toContainText('Changed in the writable layer');
  const paths = details.locator('code.path');
  await expect(paths).toHaveCount(2);
  const [rw, l0] = await paths.allTextContents();
  expect(rw).toMatch(/\/containers\/[0-9a-f]{64}\/upper\/etc\/passwd$/);
  expect(l0).toMatch(/\/layers\/[0-9a-f]{64}\/diff\/etc\/passwd$/);
  // The host paths are the real files: the change is in the upper copy only, the layer's copy is untouched.
  expect(fs.readFileSync(rw, 'utf8')).toContain('visitor:x:1000');
  expect(fs.readFileSync(l0, 'utf8')).not.toContain('visitor');
  await expect(details.getByRole('region', { name: 'Content of passwd' })).toContainText('visitor:x:1000:1000::/home:/bin/sh');
  await expect(details).toContainText('rw-r--r--');
  await app.screenshotsAtSizes('file-details-changed');
});

test('a file of an image’s merged view shows its layer, host path and a binary’s first bytes', async ({ app, page }) => {
  const images = await app.images();
  const image = await images.open('starter');
  await page.getByRole('tab', { name: 'Merged view' }).click();
  const tree = page.getByRole('tree', { name: 'Merged file tree of the image' });
  await tree.locator('[data-path="/bin"]').click();
  await tree.locator('[data-path="/bin/busybox"]').click();
  const details = page.getByTestId('file-details');
  await expect(details.getByRole('heading', { name: '/bin/busybox' })).toBeVisible();
  await expect(details).toContainText('From layer 0');
  await expect(details.locator('code.path').first()).toHaveText(/\/layers\/[0-9a-f]{64}\/diff\/bin\/busybox$/);
  await expect(details.getByRole('region', { name: 'Content of busybox' })).toContainText('binary, an ELF program or library');
  await expect(details.getByRole('region', { name: 'Content of busybox' })).toContainText('7f 45 4c 46');
  await image.expectLayerCount(1);
  await app.screenshotsAtSizes('file-details-image');
});
