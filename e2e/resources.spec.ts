// The Resources tab as a trainer shows it: a container whose memory grows
// climbs on the chart to its limit line, the kernel's OOM killer ends it
// (exit 137, OOMKilled), and the tab says so; a running container's limit
// changed from the tab is the one its cgroup holds.

import { expect, test } from './support/fixtures';
import { strata } from './support/cli';

test('a memory hog climbs to its limit on the chart and the OOM killer ends it', async ({ app }) => {
  const containers = await app.containers();
  // About a megabyte more every half second: a climb to watch, not a jump.
  const grow = `sh -c 'x=; while true; do x="$x$(head -c 1000000 /dev/zero | tr "\\\\0" a)"; sleep 0.5; done'`;
  const c = await containers.create({ name: 'e2e-hog', command: grow, interactive: false, memory: '24m' });
  await c.openTab('Resources');
  await c.press('Start');
  const memory = c.chart('memory');
  await expect(memory.limit).toContainText('limit 24MiB');
  await expect(c.statsNow).toContainText('/ 24MiB', { timeout: 10_000 });
  await app.screenshot('memory-climbing');
  await c.expectState('exited');
  await expect(c.oomNote).toContainText('exited with 137');
  // The kill of the container's process is marked; so is any kill of one of its others before it.
  await expect(memory.chart.getByTestId('chart-memory-oom').last()).toBeVisible();
  const inspect = await strata(['inspect', '-f', '{{.State.OOMKilled}} {{.State.ExitCode}}', 'e2e-hog']);
  expect(inspect.stdout).toBe('true 137\n');
  await app.screenshot('oom-killed');
  await strata(['rm', '-f', 'e2e-hog']);
});

test("a running container's memory limit changed in the tab is its cgroup's", async ({ app }) => {
  const containers = await app.containers();
  const c = await containers.create({ name: 'e2e-limits', command: 'sleep 600', interactive: false, memory: '64m', pidsLimit: '32' });
  await c.press('Start');
  await c.openTab('Resources');
  await expect(c.chart('pids').limit).toContainText('limit 32');
  await c.updateMemoryLimit('32m');
  await app.expectLastCommandDone(/strata update -m 32m --memory-swap 32m [0-9a-f]{12}/);
  const inspect = await strata(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}', 'e2e-limits']);
  expect(inspect.stdout).toBe('33554432 33554432\n');
  await expect(c.chart('memory').limit).toContainText('limit 32MiB');
  await strata(['rm', '-f', 'e2e-limits']);
});
