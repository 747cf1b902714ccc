// The Images view's numbers and tools: the sidebar counts what the list
// lists; All (`images -a`) says what it adds — intermediate build steps —
// and the family tree draws exactly what the list lists; a build whose only
// step failed says it ran and failed; Load and Import upload a file from the
// browser; Prune removes what nothing needs.

import fs from 'node:fs';
import { expect, test } from './support/fixtures';
import { strata } from './support/cli';
import type { ImagesPage } from './pages/ImagesPage';

async function distinctIds(images: ImagesPage): Promise<number> {
  return new Set(await images.rows.locator('td code').allTextContents()).size;
}

test('All lists the intermediate images a build left, says so, and the family tree follows the switch', async ({ app }) => {
  const build = await app.build();
  await build.typeDockerfile('FROM starter\nRUN echo a > /a.txt\nRUN echo b > /b.txt\n');
  await build.setTags('e2e-all:v1');
  await build.build();

  const images = await app.images();
  const topLevel = await distinctIds(images);
  await expect(images.toggle('Top-level')).toHaveText(`Top-level (${topLevel})`);
  await expect(app.sidebarCount('Images')).toHaveText(String(topLevel));
  await expect(images.treeNodes).toHaveCount(topLevel);
  const hidden = app.page.getByTestId('all-explained');
  await expect(hidden).toContainText(/\d+ intermediate images? (is|are) not listed: untagged build steps/);

  await images.toggle('All').click();
  await expect(images.rows.filter({ hasText: '<none>' }).first()).toBeVisible();
  const all = await distinctIds(images);
  expect(all).toBeGreaterThan(topLevel);
  await expect(images.toggle('All')).toHaveText(`All (${all})`);
  await expect(hidden).toContainText(`All shows ${all - topLevel} more than Top-level: intermediate images`);
  await expect(images.treeNodes).toHaveCount(all);
  await app.screenshotsAtSizes('images-all');
  // The sidebar still counts the top-level list, which it opens.
  await expect(app.sidebarCount('Images')).toHaveText(String(topLevel));
});

test('a build whose only step failed says that step ran and failed', async ({ app }) => {
  const build = await app.build();
  await build.typeDockerfile('FROM starter\nRUN exit 3\n');
  await build.setTags('e2e-fails:v1');
  await app.page.getByRole('region', { name: 'Recipe' }).getByRole('button', { name: 'Build', exact: true }).click();
  await expect(build.status).toContainText('Failed at step 2 of 2 · exit code 3', { timeout: 60_000 });
  await expect(build.tally).toHaveText('0 of 1 step after FROM done · 0 from cache · 1 ran · 1 failed · 0 new layers');
  await app.screenshot('build-failed-tally');
});

test('Load and Import upload a file from the browser; Prune removes what nothing needs', async ({ app }, testInfo) => {
  // An archive and a file system tarball, made by the CLI beside the app.
  const archive = testInfo.outputPath('e2e-all.tar');
  expect((await strata(['save', '-o', archive, 'e2e-all:v1'])).code).toBe(0);
  expect((await strata(['rmi', 'e2e-all:v1'])).code).toBe(0);
  const made = await strata(['create', '--name', 'e2e-fs', 'starter', 'true']);
  expect(made.code, made.stderr).toBe(0);
  const rootfs = testInfo.outputPath('rootfs.tar');
  expect((await strata(['export', '-o', rootfs, 'e2e-fs'])).code).toBe(0);
  expect(fs.statSync(rootfs).size).toBeGreaterThan(1000);

  const images = await app.images();
  await expect(images.row('e2e-all')).toHaveCount(0);
  await images.load(archive);
  await app.expectLastCommandDone(/strata load -i e2e-all\.tar/);
  await expect(app.commandStrip).toContainText('Loaded image: e2e-all:v1');
  await images.expectImage('e2e-all');

  await app.page.getByRole('button', { name: 'Import…', exact: true }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Import a file system as an image' });
  await dialog.getByLabel('File system tarball').setInputFiles(rootfs);
  await dialog.getByRole('textbox', { name: /^Repository and tag/ }).fill('e2e-imported:v1');
  await dialog.getByRole('textbox', { name: /^Message/ }).fill('from the exported container');
  await expect(dialog.locator('.dialog-command code')).toHaveText("$ strata import -m 'from the exported container' rootfs.tar e2e-imported:v1");
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await app.expectLastCommandDone(/strata import/, 60_000);
  await expect(app.page.getByRole('heading', { level: 1 })).toHaveText('e2e-imported:v1');
  await expect(app.page.getByTestId('layer-0')).toContainText('from the exported container');

  const again = await app.images();
  await app.page.getByRole('button', { name: 'Prune…', exact: true }).click();
  const prune = app.page.getByRole('dialog', { name: 'Prune images' });
  await expect(prune.locator('.dialog-command code')).toHaveText('$ strata image prune -f');
  await prune.getByRole('button', { name: 'Prune', exact: true }).click();
  await app.expectLastCommandDone(/strata image prune -f/);
  await expect(app.commandStrip).toContainText('Total reclaimed space');
  await again.expectImage('e2e-imported');
  expect((await strata(['rm', 'e2e-fs'])).code).toBe(0);
});
