// The whole tour, walked in Chromium through a browser host of its own
// (`strata gui --tour`) on a fresh engine root, with a local docker-registry
// on 127.0.0.1 for the pull step. At each step the test asks the engine, by
// the `strata` command line, whether what the tour says it made exists; looks
// at the drawing the tour points at; and runs the command the tour shows (on
// a name of its own) to see that it does the same. Screenshots of every step
// go under test-results/.

import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TourPage } from './pages/TourPage';
import { startHost, stopHost } from './support/host';
import { strata as cli } from './support/cli';
import { repo, strataBin } from './support/paths';
import { startRegistry, type RegistryServer } from '../engine/registry/testing/registryServer';

let dir: string;
let root: string;
let host: { child: ChildProcess; url: string };
let registry: RegistryServer;

const env = () => ({ ...process.env, STRATA_ROOT: root });
const strata = async (...args: string[]) => {
  const r = await cli(args, env());
  if (r.code !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
/** Containers labelled strata.tour=1 (`ps` has no --filter yet: the labels column says it). */
const tourContainers = async () =>
  (await strata('ps', '-a', '--format', '{{.Names}} {{.Labels}}'))
    .split('\n')
    .filter((l) => /\bstrata\.tour=1\b/.test(l))
    .map((l) => l.split(' ')[0])
    .sort();
const inspect = async (name: string) => (JSON.parse(await strata('inspect', name)) as Record<string, any>[])[0];

/** Runs a command line as the tour shows it, in bash, on this root (the words `strata` run this checkout's CLI). */
function runShown(command: string): string {
  const r = spawnSync('bash', ['-c', command.replace(/(^|\| |\s)strata /g, `$1${process.execPath} ${strataBin} `)], {
    cwd: repo,
    env: env(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${command} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-tour-'));
  root = path.join(dir, 'root');
  registry = await startRegistry({ dir: path.join(dir, 'registry') });
  host = await startHost(root, {}, ['--tour']);
});

test.afterAll(async () => {
  if (host) await stopHost(host.child);
  if (root && fs.existsSync(root)) {
    const ids = (await cli(['ps', '-aq'], env())).stdout.split('\n').filter(Boolean);
    if (ids.length) await cli(['rm', '-f', ...ids], env());
  }
  await registry?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('strata gui --tour walks every idea on real objects, pointing at the drawing and showing the commands it ran', async ({ page }, testInfo) => {
  expect(host.url).toMatch(/\/\?tour#token=/);
  const tour = new TourPage(page, testInfo);
  await page.goto(host.url);
  const next = () => tour.press('ArrowRight');

  // 1. An image: the starter, made offline; its layers drawn as the engine has them.
  await tour.expectStepDone('image');
  expect(await tour.commands()).toEqual(['strata bootstrap', 'strata history starter']);
  const starter = await inspect('starter');
  await expect(page.locator('.stack-rows .slab-layer')).toHaveCount(starter.RootFS.Layers.length);
  await tour.expectPointingAt();
  await tour.screenshot('01-image');

  // 2. A container: one writable layer on top. The shown command, run on another name, makes the same container.
  await next();
  await tour.expectStepDone('container');
  const [create] = await tour.commands();
  expect(create).toBe('strata create --name tour-box --network none -l strata.tour=1 starter sleep 3600');
  const box = await inspect('tour-box');
  expect(box.State.Status).toBe('created');
  expect(box.Config.Labels).toMatchObject({ 'strata.tour': '1' });
  runShown(create.replace('tour-box', 'cli-box'));
  const twin = await inspect('cli-box');
  expect([twin.Config.Cmd, twin.Config.Labels, twin.HostConfig.NetworkMode, twin.Image]).toEqual([box.Config.Cmd, box.Config.Labels, box.HostConfig.NetworkMode, box.Image]);
  await strata('rm', 'cli-box');
  expect(await tour.body()).toContain(`${root}/containers/${box.Id}/upper`);
  await expect(await tour.expectPointingAt()).toHaveAttribute('data-testid', 'layer-rw');
  await tour.screenshot('02-container');

  // 3. Running: a process space, its namespaces drawn; the kernel's steps in the timeline.
  await next();
  await tour.expectStepDone('running');
  expect(await tour.commands()).toEqual(['strata start tour-box']);
  expect((await inspect('tour-box')).State.Status).toBe('running');
  await expect(page.getByTestId('process-space')).toContainText('sleep 3600');
  await expect(tour.kernelSteps('pivot_root').first()).toBeVisible();
  const overlay = tour.kernelSteps('mount').filter({ hasText: 'overlay' }).first();
  await expect(overlay.getByTestId('kernel-command')).toContainText(`upperdir=${root}/containers/${box.Id}/upper`);
  await tour.screenshot('03-running');

  // 4. happiness.txt: on the host, in that container's writable layer and in no image layer.
  await next();
  await tour.expectStepDone('happiness');
  const run = (await tour.commands()).find((c) => c.includes('touch'))!;
  expect(run).toBe('strata run --name tour-happy --network none -l strata.tour=1 starter touch happiness.txt');
  const happy = await inspect('tour-happy');
  const found = spawnSync('find', [root, '-name', 'happiness.txt'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  expect(found).toEqual([`${root}/containers/${happy.Id}/upper/happiness.txt`]);
  await expect(tour.card).toContainText(found[0]);
  await expect(page.locator('main')).toContainText('/happiness.txt');
  await tour.screenshot('04-happiness');

  // 5. Metadata: the history, newest first. R runs the step again.
  await next();
  await tour.expectStepDone('metadata');
  expect(await tour.commands()).toEqual(['strata history starter', 'strata image inspect starter']);
  await tour.press('r');
  await expect(tour.card).toHaveAttribute('data-runs', '2');
  await tour.expectStepDone('metadata');
  await expect(page.locator('main')).toContainText('History');
  await tour.screenshot('05-metadata');

  // 6. ps and ps -a.
  await next();
  await tour.expectStepDone('ps');
  expect(await tour.commands()).toEqual(['strata ps', 'strata ps -a']);
  const running = (await strata('ps', '--format', '{{.Names}}')).trim().split('\n');
  expect(running).toEqual(['tour-box']);
  expect(await tour.body()).toMatch(/\(tour-box\).*tour-happy/);
  await tour.screenshot('06-ps');

  // 7. stop: SIGTERM, ignored by sleep as PID 1, then SIGKILL after the grace period.
  await next();
  await tour.expectStepDone('stop', 90_000);
  expect(await tour.commands()).toEqual([
    'strata run -d --name tour-stop --network none -l strata.tour=1 starter sleep 3600',
    'strata stop -t 3 tour-stop',
  ]);
  expect((await inspect('tour-stop')).State.ExitCode).toBe(137);
  await expect(tour.kernelSteps('signal').filter({ hasText: 'SIGTERM' })).toHaveCount(1);
  await expect(tour.kernelSteps('signal').filter({ hasText: 'SIGKILL' })).toHaveCount(1);
  await expect(tour.kernelSteps('signal').filter({ hasText: 'SIGTERM' }).getByTestId('kernel-command')).toHaveText(/^kill -TERM \d+$/);
  await tour.expectPointingAt();
  await tour.screenshot('07-stop');

  // 8. kill: SIGKILL at once.
  await next();
  await tour.expectStepDone('kill');
  expect(await tour.commands()).toContain('strata kill tour-kill');
  const killed = await inspect('tour-kill');
  expect(killed.State.ExitCode).toBe(137);
  await expect(tour.kernelSteps('signal').filter({ hasText: 'SIGKILL' }).getByTestId('kernel-command')).toHaveText(/^kill -KILL \d+$/);
  await tour.screenshot('08-kill');

  // 9. pause: the freezer written, no signal.
  await next();
  await tour.expectStepDone('pause');
  expect(await tour.commands()).toEqual(['strata pause tour-box']);
  expect((await inspect('tour-box')).State.Status).toBe('paused');
  const freeze = tour.kernelSteps('freeze').first();
  await expect(freeze.getByTestId('kernel-command')).toHaveText(/^echo (FROZEN|1) > \/sys\/fs\/cgroup\/.*(freezer\.state|cgroup\.freeze)$/);
  await expect(tour.kernelSteps('signal')).toHaveCount(0);
  await tour.screenshot('09-pause');

  // 10. Copy-up, whiteout and a new file, drawn as they happen; diff agrees.
  await next();
  await tour.expectStepDone('copyup');
  const live = page.getByTestId('live-writes');
  await expect(live.locator('[data-action="copied-up"][data-path="/etc/passwd"]')).toBeVisible();
  await expect(live.locator('[data-action="whiteout"][data-path="/etc/group"]')).toBeVisible();
  await expect(live.locator('[data-action="added"][data-path="/home/hello.txt"]')).toBeVisible();
  const diff = (await strata('diff', 'tour-box')).split('\n');
  expect(diff).toEqual(expect.arrayContaining(['C /etc/passwd', 'D /etc/group', 'A /home/hello.txt']));
  // With the rail open the drawing takes the view's width: the layers' names read as words, not a letter.
  const room = await tour.drawingRoom();
  expect(room.width).toBeGreaterThanOrEqual(400);
  for (const name of room.names) expect(name.shown).toBeGreaterThanOrEqual(Math.min(name.of, 14));
  await tour.screenshot('10-copyup');

  // 11. rm: the writable layer goes with the container.
  await next();
  await tour.expectStepDone('rm');
  expect(await tour.commands()).toEqual(['strata rm tour-kill']);
  expect((await cli(['inspect', 'tour-kill'], env())).code).not.toBe(0);
  expect(fs.existsSync(path.join(root, 'containers', killed.Id))).toBe(false);
  await tour.screenshot('11-rm');

  // 12. commit: a new read-only layer on top of the starter's.
  await next();
  await tour.expectStepDone('commit');
  expect(await tour.commands()).toEqual(['strata commit tour-box tour-commit:1']);
  const committed = await inspect('tour-commit:1');
  expect(committed.RootFS.Layers.slice(0, -1)).toEqual(starter.RootFS.Layers);
  await expect(page.locator('.stack-rows .slab-layer')).toHaveCount(committed.RootFS.Layers.length);
  // The image view too: its drawing and the layer's details each keep a readable width beside the rail.
  const imageRoom = await tour.drawingRoom();
  expect(imageRoom.width).toBeGreaterThanOrEqual(400);
  for (const name of imageRoom.names) expect(name.shown).toBeGreaterThanOrEqual(Math.min(name.of, 14));
  expect((await page.getByRole('region', { name: 'Layer details' }).boundingBox())!.width).toBeGreaterThanOrEqual(400);
  await tour.screenshot('12-commit');

  // 13. build: the shown command, run in bash, builds the very same image (every step from the cache).
  await next();
  await tour.expectStepDone('build', 120_000);
  const [build] = await tour.commands();
  expect(build).toMatch(/^strata build -t tour-build:1 - <<'EOF'\n/);
  const built = await inspect('tour-build:1');
  runShown(build.replace('tour-build:1', 'cli-build:1'));
  expect((await inspect('cli-build:1')).Id).toBe(built.Id);
  await strata('rmi', 'cli-build:1');
  await tour.screenshot('13-build');

  // 14. images and images -a: the build's intermediate images.
  await next();
  await tour.expectStepDone('imagesAll');
  const top = (await strata('images', '-q')).trim().split('\n').length;
  const all = (await strata('images', '-aq')).trim().split('\n').length;
  expect(all).toBeGreaterThan(top);
  expect(await tour.body()).toContain(`(${top})`);
  expect(await tour.body()).toContain(`(${all} in all)`);
  await tour.screenshot('14-images-all');

  // 15. save and export side by side: the lists are what tar -t lists.
  await next();
  await tour.expectStepDone('saveExport');
  const [save, exported] = await tour.commands();
  expect(save).toBe('strata save tour-build:1 | tar -t');
  expect(exported).toBe('strata export tour-box | tar -t');
  const savedNames = runShown(save).trim().split('\n');
  const exportedNames = runShown(exported).trim().split('\n');
  await expect(page.getByTestId('archive-save')).toContainText(`${savedNames.length} entries`);
  await expect(page.getByTestId('archive-export')).toContainText(`${exportedNames.length} entries`);
  expect(savedNames).toEqual(expect.arrayContaining(['index.json', 'manifest.json', 'oci-layout']));
  expect(exportedNames.some((n) => n.includes('manifest.json'))).toBe(false);
  await tour.expectPointingAt();
  await tour.screenshot('15-save-export');

  // 16. pull: with no registry named, the step says it needs one; with the local one, every layer is shared.
  await next();
  await tour.expectStepDone('pull');
  const address = page.getByRole('textbox', { name: 'Registry' });
  await address.fill('127.0.0.1:9');
  await page.getByRole('button', { name: 'Use this registry' }).click();
  await tour.expectStepDone('pull');
  await expect(page.getByTestId('needs-registry')).toBeVisible();
  await tour.screenshot('16-pull-needs-registry');
  await address.fill(registry.host);
  await page.getByRole('button', { name: 'Use this registry' }).click();
  await tour.expectStepDone('pull', 120_000);
  const remote = `${registry.host}/tour-commit:1`;
  expect(await tour.commands()).toEqual([`strata tag tour-commit:1 ${remote}`, `strata push ${remote}`, `strata rmi tour-commit:1 ${remote}`, `strata pull ${remote}`]);
  const pulled = await inspect(remote);
  expect(pulled.RootFS.Layers).toEqual(committed.RootFS.Layers);
  const layers = page.getByTestId('tour-pull').locator('.tour-layers li');
  await expect(layers).toHaveCount(committed.RootFS.Layers.length);
  // The starter's layer was here already; the committed one came from the registry.
  await expect(layers.filter({ hasText: 'Already exists' })).toHaveCount(starter.RootFS.Layers.length);
  await expect(layers.filter({ hasText: 'Pull complete' })).toHaveCount(committed.RootFS.Layers.length - starter.RootFS.Layers.length);
  await tour.screenshot('16-pull');

  // 17. The end: what it made is listed, and stays.
  await next();
  await tour.expectStepDone('end');
  for (const name of ['tour-box', 'tour-happy', 'tour-stop', 'tour-commit:1', 'tour-build:1', registry.host]) await expect(tour.card).toContainText(name);
  await tour.screenshot('17-end');

  // Back goes back without running anything again; leaving keeps every object.
  await tour.press('ArrowLeft');
  await expect(tour.card).toHaveAttribute('data-step', 'pull');
  await tour.press('Escape');
  await expect(tour.card).toHaveCount(0);
  expect(await tourContainers()).toEqual(['tour-box', 'tour-happy', 'tour-stop']);

  // A second run asks first. Kept: it names its objects apart. Then removed, with consent: all of them go.
  await page.getByRole('toolbar', { name: 'Teaching' }).getByRole('button', { name: 'Tour' }).click();
  await expect(tour.card.getByRole('alertdialog')).toContainText('tour-box');
  await tour.card.getByRole('button', { name: 'Keep them' }).click();
  await tour.expectStepDone('image');
  await next();
  await tour.expectStepDone('container');
  expect(await tour.commands()).toEqual(['strata create --name tour-box-2 --network none -l strata.tour=1 starter sleep 3600']);
  // The kept tour-box is left as the first run left it.
  expect((await inspect('tour-box')).State.Status).toBe('running');
  await tour.press('Escape');
  await page.getByRole('toolbar', { name: 'Teaching' }).getByRole('button', { name: 'Tour' }).click();
  await tour.card.getByRole('button', { name: 'Remove them and start afresh' }).click();
  await tour.expectStepDone('image');
  expect(await tourContainers()).toEqual([]);
  expect((await strata('images', '--format', '{{.Repository}}')).split('\n').filter((r) => /(^|\/)tour-/.test(r))).toEqual([]);
  await tour.screenshot('18-second-run');
});
