// Copy-up and whiteouts as they happen: with a running container open in
// the app, `strata exec` in another process writes a new file, changes a
// file of the image and deletes one, and the live writes draw each where it
// lands — the new file only in the writable layer, the copy-up and the
// whiteout hiding the image layer's copy, which stays as it was. (The 500 ms
// figure is `npm run bench`'s "write to screen" row, not a timed assertion.)

import { expect, test } from './support/fixtures';
import { strata } from './support/cli';

test('strata exec writes, modifies and deletes files; the app draws the new file, the copy-up and the whiteout as they happen', async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-writes', command: 'sleep 600', interactive: false });
  await c.press('Start');
  await c.expectState('running');
  const live = app.page.getByTestId('live-writes');
  await expect(live).toContainText('waiting for a write');

  const exec = async (script: string) => {
    const r = await strata(['exec', 'e2e-writes', 'sh', '-c', script]);
    expect(r.code, r.stderr).toBe(0);
  };
  await exec('echo new > /tmp/new.txt');
  await expect(live.locator('[data-action="added"][data-path="/tmp/new.txt"]')).toBeVisible();
  await exec('echo more >> /etc/passwd');
  const copied = live.locator('.livewrites-row').filter({ has: app.page.locator('[data-action="copied-up"][data-path="/etc/passwd"]') });
  await expect(copied).toContainText('in L0');
  await expect(copied).toContainText('hidden, unchanged');
  await exec('rm /etc/group');
  const whiteout = live.locator('.livewrites-row').filter({ has: app.page.locator('[data-action="whiteout"][data-path="/etc/group"]') });
  await expect(whiteout).toContainText('in L0');
  await app.screenshot('live-writes');

  // What it drew is what diff says, and the image's copies are untouched.
  const diff = (await strata(['diff', 'e2e-writes'])).stdout.split('\n');
  expect(diff).toEqual(expect.arrayContaining(['A /tmp/new.txt', 'C /etc/passwd', 'D /etc/group']));
  const inImage = await strata(['run', '--rm', '--network', 'none', 'starter', 'sh', '-c', 'grep -c more /etc/passwd; test -f /etc/group && echo group']);
  expect(inImage.stdout).toBe('0\ngroup\n');
  await strata(['rm', '-f', 'e2e-writes']);
});
