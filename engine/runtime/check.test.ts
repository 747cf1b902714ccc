// `system check` on the real kernel: each kind of damage a crash (or a hand
// in the engine root) can leave is found, said in one line, and repaired by
// --repair where it can be; after the repair the check is clean. Another
// root's containers on this machine are never touched.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempEngine } from '../testing/tempEngine';
import { useTempEngine } from '../testing/useTempEngine';
import { until } from '../testing/waits';
import { isShimAlive } from './shim';

const temp = useTempEngine();
const { call } = temp;
const root = () => temp.engine.root;
const db = () => temp.engine.client.engine.db;

async function check(repair = false, verifyContent = false) {
  return (await call('system.check', { repair, verifyContent })).findings;
}

/** Finds the problems matching `patterns` (and no other), repairs them, and leaves the check clean. */
async function findsAndRepairs(...patterns: RegExp[]): Promise<void> {
  const found = await check();
  expect(found.map((f) => f.problem)).toEqual(patterns.map((p) => expect.stringMatching(p)));
  for (const f of found) expect(f).toMatchObject({ repair: expect.stringMatching(/./), repaired: false });
  const repaired = await check(true);
  expect(repaired).toEqual(found.map((f) => expect.objectContaining({ problem: f.problem, repaired: true })));
  expect(await check()).toEqual([]);
}

async function runDetached(cmd: string[]): Promise<string> {
  const { id } = await call('container.create', { image: temp.engine.image, cmd });
  await call('container.start', { id });
  return id;
}

/** An image of its own layer: what `script` changed, committed as `reference`. */
async function committed(script: string, reference: string): Promise<{ imageId: string; top: string }> {
  const { id } = await call('container.create', { image: temp.engine.image, cmd: ['sh', '-c', script] });
  await call('container.start', { id });
  await call('container.wait', { id });
  const { imageId } = await call('container.commit', { id, reference });
  await call('container.remove', { id });
  return { imageId, top: (db().prepare('SELECT top_layer FROM images WHERE id = ?').get(imageId) as { top_layer: string }).top_layer };
}

const readPid = (id: string, file: string) => Number(fs.readFileSync(path.join(root(), 'run', id, file), 'utf8'));

describe('the store', () => {
  it('is clean to begin with, content included', async () => {
    expect(await check(false, true)).toEqual([]);
  });

  it('removes a blob no image names, and with --verify-content removes an image whose config was changed on disk', async () => {
    fs.writeFileSync(path.join(root(), 'blobs', 'sha256', 'c'.repeat(64)), 'junk');
    await findsAndRepairs(/^blob cccccccccccc belongs to no image/);

    const { id: source } = await call('container.create', { image: temp.engine.image, cmd: ['true'] });
    const { imageId } = await call('container.commit', { id: source, reference: 'tampered:1' });
    await call('container.remove', { id: source });
    const blob = path.join(root(), 'blobs', 'sha256', imageId.slice(7));
    fs.writeFileSync(blob, fs.readFileSync(blob, 'utf8').replace('"os":"linux"', '"os":"linux" '));
    expect(await check()).toEqual([]); // without hashing, nothing shows
    const found = await check(false, true);
    expect(found.map((f) => f.problem)).toEqual([expect.stringMatching(/^image sha256:[0-9a-f]{12} has a corrupt config: its bytes hash to sha256:/)]);
    await check(true, true);
    expect(await check(false, true)).toEqual([]);
    await expect(call('image.inspect', { ref: 'tampered:1' })).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('removes a layer no image uses whose writer is gone, keeps one whose writer runs, and puts back a missing link', async () => {
    const { imageId, top } = await committed('echo orphan > /o', 'orphan:1');
    // Its image goes, its layer stays, as a load killed before its image was made would leave it.
    db().prepare('DELETE FROM tags WHERE image_id = ?').run(imageId);
    db().prepare('DELETE FROM images WHERE id = ?').run(imageId);
    fs.rmSync(path.join(root(), 'blobs', 'sha256', imageId.slice(7)));
    // Its writer (this process) still runs: work in progress, not debris.
    expect(await check()).toEqual([]);
    db().prepare("UPDATE layers SET writer = '1:0' WHERE chain_id = ?").run(top);
    await findsAndRepairs(/^layer sha256:[0-9a-f]{12} is used by no image, and nothing that runs is making one on it/);
    expect(fs.existsSync(path.join(root(), 'layers', top.slice(7)))).toBe(false);

    const short = (db().prepare('SELECT short FROM layers LIMIT 1').get() as { short: string }).short;
    fs.rmSync(path.join(root(), 'layers', 'l', short));
    await findsAndRepairs(/^layer sha256:[0-9a-f]{12} has no link layers\/l\//);
  });

  it('says what it cannot repair: a layer an image needs whose files are gone', async () => {
    const { top } = await committed('echo needed > /n', 'needed:1');
    fs.renameSync(path.join(root(), 'layers', top.slice(7)), path.join(root(), 'aside'));
    const found = await check(true);
    expect(found).toEqual([{ problem: expect.stringMatching(/^layer sha256:[0-9a-f]{12} has no directory .* remove them and pull or load them again$/), repair: '', repaired: false }]);
    fs.renameSync(path.join(root(), 'aside'), path.join(root(), 'layers', top.slice(7)));
    expect(await check()).toEqual([]);
    await call('image.remove', { ref: 'needed:1' });
  });
});

describe('containers', () => {
  it('removes a container dir without its row, and a row without its files', async () => {
    fs.mkdirSync(path.join(root(), 'containers', 'd'.repeat(64), 'upper'), { recursive: true });
    await findsAndRepairs(/^containers\/d{64} belongs to no container/);

    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['true'], name: 'hollow' });
    fs.rmSync(path.join(root(), 'containers', id, 'upper'), { recursive: true });
    await findsAndRepairs(/^container hollow has no upper in containers\//);
    expect((await call('container.list', { all: true })).some((c) => c.id === id)).toBe(false);
  });

  it('finishes a removal its remover left half done', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['true'], name: 'half-removed' });
    db().prepare("UPDATE containers SET state = 'removing' WHERE id = ?").run(id);
    await findsAndRepairs(/^container half-removed was being removed when its remover stopped$/);
    expect(fs.existsSync(path.join(root(), 'containers', id))).toBe(false);
  });

  it('stops a monitor whose container the store does not know, and a container whose monitor was killed', async () => {
    const id = await runDetached(['sleep', '1000']);
    const monitor = readPid(id, 'monitor.pid');
    db().prepare('DELETE FROM containers WHERE id = ?').run(id);
    await findsAndRepairs(
      new RegExp(`^monitor ${monitor} runs container ${id.slice(0, 12)}, which the store does not know$`),
      new RegExp(`^containers/${id} belongs to no container`),
      new RegExp(`^run/${id} belongs to no container$`),
    );
    expect(isShimAlive(monitor)).toBe(false);

    const orphaned = await runDetached(['sleep', '1000']);
    const init = readPid(orphaned, 'init.pid');
    process.kill(readPid(orphaned, 'monitor.pid'), 'SIGKILL');
    await until('the monitor to go', async () => isShimAlive(readPid(orphaned, 'monitor.pid')), (alive) => !alive);
    await findsAndRepairs(new RegExp(`^container \\S+ runs without its monitor \\(pid ${init}\\)$`));
    expect((await call('container.inspect', { id: orphaned })).State.Status).toBe('exited');
  });

  it('removes the cgroups of a container that does not run', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['true'], name: 'cgrouped' });
    await call('container.start', { id });
    await call('container.wait', { id });
    const dirs: string[] = JSON.parse(fs.readFileSync(path.join(root(), 'containers', id, 'cgroups.json'), 'utf8')).dirs;
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
    await findsAndRepairs(/^container cgrouped is exited, yet its cgroups remain/);
    expect(dirs.filter((d) => fs.existsSync(d))).toEqual([]);
  });

  it('unmounts what is mounted in a run dir no running container holds, and removes a run dir without a container', async () => {
    const { id } = await call('container.create', { image: temp.engine.image, cmd: ['true'] });
    const point = path.join(root(), 'run', id, 'network');
    fs.mkdirSync(point, { recursive: true });
    expect(spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', point]).status).toBe(0);
    await findsAndRepairs(new RegExp(`^${point} is mounted on the host \\(tmpfs\\), and no running container holds it$`));

    fs.mkdirSync(path.join(root(), 'run', 'e'.repeat(64)));
    await findsAndRepairs(/^run\/e{64} belongs to no container$/);
  });

  it("leaves another root's containers alone", async () => {
    const other = await tempEngine();
    try {
      const { id } = await other.client.call('container.create', { image: other.image, cmd: ['sleep', '1000'] });
      await other.client.call('container.start', { id });
      expect(await check(true)).toEqual([]);
      expect((await other.client.call('container.inspect', { id })).State.Status).toBe('running');
    } finally {
      await other.dispose();
    }
  });
});
