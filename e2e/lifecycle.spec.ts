// A container's life from the app: create, start, write a file through the
// Terminal tab and see it land in the writable layer, pause and unpause,
// stop, remove. Every step is a lifecycle button pressed by its name.

import { expect, test } from './support/fixtures';

test('create, start, write a file, see it in the writable layer, pause, unpause, stop, remove', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-lifecycle', interactive: true });
  await c.expectState('created');
  await expect(c.layer(0)).toBeVisible();
  await expect(c.writableLayer).toBeVisible();
  await c.expectRefused('Pause');
  await c.expectRefused('Unpause');

  await c.press('Start');
  await c.expectState('running');
  await c.typeInTerminal('echo happiness > /happiness.txt');
  await c.expectAddedInWritableLayer('/happiness.txt');
  await app.screenshot('file-in-writable-layer');

  await c.press('Pause');
  await c.expectState('paused');
  await c.expectRefused('Pause');
  await c.press('Unpause');
  await c.expectState('running');

  await c.press('Stop');
  await c.expectState('exited');
  await c.expectRefused('Stop');
  // The writable layer outlives the process: the file is still there.
  await c.expectAddedInWritableLayer('/happiness.txt');

  await c.press('Remove');
  await containers.waitUntilShown();
  await containers.expectGone('e2e-lifecycle');
  await app.screenshot('removed');
});
