// Pulling from the app: a real registry (Debian's docker-registry) on
// 127.0.0.1 holds a base image and a child built on it, put there by
// skopeo; the child's blobs come through a proxy that slows them, so the
// stack can be seen growing; the base's layers are drawn as shared.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { expect, test } from './support/fixtures';
import { ContainerPage } from './pages/ContainerPage';
import { PullPanel } from './pages/PullPanel';
import { startFlakyProxy, type FlakyProxy } from '../engine/registry/testing/flakyProxy';
import { dockerArchive, skopeoPush, type LayerSpec } from '../engine/registry/testing/images';
import { startRegistry, type RegistryServer } from '../engine/registry/testing/registryServer';

let dir: string;
let registry: RegistryServer;
let slow: FlakyProxy;

/** Bytes that do not compress, the same each run. */
const noise = (n: number, seed: string) => Buffer.concat(Array.from({ length: Math.ceil(n / 32) }, (_, i) => createHash('sha256').update(`${seed}${i}`).digest())).subarray(0, n);

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-registry-'));
  registry = await startRegistry({ dir: path.join(dir, 'registry') });
  const base: LayerSpec[] = [
    { files: { 'bin/busybox': fs.readFileSync('/bin/busybox') }, createdBy: 'ADD busybox /bin/' },
    { files: { 'etc/base': 'base\n' }, createdBy: 'RUN echo base > /etc/base' },
  ];
  skopeoPush(dockerArchive(dir, 'e2e/base:1', base).archive, `${registry.host}/e2e/base:1`);
  const child: LayerSpec[] = [
    ...base,
    // A small layer that arrives well before the big one above it: the stack grows a layer at a time.
    { files: { 'data/one': noise(300_000, 'one') }, createdBy: 'ADD one /data/' },
    { files: { 'data/two': noise(2_500_000, 'two') }, createdBy: 'ADD two /data/' },
  ];
  skopeoPush(dockerArchive(dir, 'e2e/child:1', child).archive, `${registry.host}/e2e/child:1`);
  const greeting: LayerSpec[] = [...base, { files: { 'etc/greeting': 'hello from the registry\n' }, createdBy: 'RUN echo hello > /etc/greeting' }];
  skopeoPush(dockerArchive(dir, 'e2e/greeting:1', greeting).archive, `${registry.host}/e2e/greeting:1`);
  slow = await startFlakyProxy(registry.host, { bytesPerSecond: 1_500_000 });
});

test.afterAll(async () => {
  await slow?.stop();
  await registry?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('pull from the app: the stack grows layer by layer, and layers already here are drawn as shared', async ({ app }) => {
  const images = await app.images();
  const pull = new PullPanel(app);
  await pull.start(`${registry.host}/e2e/base:1`);
  await pull.expectPulled();
  await images.expectImage(`${registry.host}/e2e/base`);
  await pull.close();

  await pull.start(`${slow.host}/e2e/child:1`);
  const stop = await pull.recordGrowth();
  await expect(pull.layer(3)).toBeVisible();
  // The base's two layers are in the store already: shared, named after the image that has them.
  for (const i of [0, 1]) {
    await expect(pull.layer(i)).toHaveAttribute('data-stage', 'shared');
    await expect(pull.layer(i).getByTestId('shared-note')).toContainText(`${registry.host}/e2e/base:1`);
  }
  await app.screenshot('pull-growing');
  await pull.expectPulled();
  const growth = await stop();
  // From the two shared layers to all four, through three: one layer at a time, bottom up.
  expect(growth.filter((n) => n >= 2)).toEqual([2, 3, 4]);
  await images.expectImage(`${slow.host}/e2e/child`);
  await app.expectLastCommandDone(/strata pull/);
  await app.screenshot('pulled');
});

test('a pull the registry refuses says why, in words, with the command', async ({ app }) => {
  await app.images();
  const pull = new PullPanel(app);
  await pull.start(`${registry.host}/e2e/nothing:here`);
  await expect(pull.panel).toHaveAttribute('data-phase', 'failed');
  await expect(app.page.getByTestId('pull-error')).toContainText('The registry has no such image');
  await expect(app.page.getByTestId('pull-error')).toContainText(`manifest for ${registry.host}/e2e/nothing:here not found`);
  await app.screenshot('pull-refused');
});

test('Run with an image the store lacks pulls it first, as `strata run` does, and runs it', async ({ app }) => {
  const reference = `${registry.host}/e2e/greeting:1`;
  const run = await (await app.containers()).openDialog('run');
  await run.image.fill(reference);
  await expect(run.dialog).toContainText(`Not in this store: Run pulls it first (strata pull ${reference}), as strata run does.`);
  await run.fill({ image: reference, name: 'e2e-pulled-by-run', command: '/bin/busybox true', interactive: false });
  await expect(run.command).toHaveText(`$ strata run -d --name e2e-pulled-by-run ${reference} /bin/busybox true`);
  await app.screenshot('run-pulls-first');
  await run.submit();

  // The pull is the app's one pull, logged as the command it equals; then the container opens, made from what it pulled.
  const container = new ContainerPage(app, 'e2e-pulled-by-run');
  await container.waitUntilShown();
  await container.expectState('exited');
  await app.commandStrip.getByRole('button', { name: /^History/ }).click();
  await expect(app.commandStrip).toContainText(`strata pull ${reference}`);
  await expect(app.commandStrip).toContainText(`strata run -d --name e2e-pulled-by-run ${reference}`);
  const details = await container.openFile('/etc/greeting');
  await expect(details).toContainText('hello from the registry');
  await app.screenshot('run-pulled');
});
