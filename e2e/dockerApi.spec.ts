// The app starts the Docker API service from its settings and says what to
// export; the docker CLI then drives the engine and the app shows what it
// does at once, no reload; stopping the service from the app ends it.

import { docker } from './support/cli';
import { expect, test } from './support/fixtures';

test('starts the Docker API from Settings; what docker runs appears in the app live, and goes', async ({ app }) => {
  const settings = await app.settings();
  await expect(settings.serviceState).toContainText(/^Stopped\. It would listen on unix:\/\//);
  await settings.startService();
  const host = await settings.dockerHost();
  expect(host).toMatch(/^unix:\/\/.*docker\.sock$/);
  await app.screenshot('docker-api-running');

  const containers = await app.containers();
  const run = await docker(host, ['run', '-d', '--network', 'none', '--name', 'e2e-from-docker', 'starter', 'sleep', '600']);
  expect(run.code, run.stderr).toBe(0);
  await containers.expectListed('e2e-from-docker');
  await expect(containers.row('e2e-from-docker')).toContainText('running');
  await app.screenshot('docker-run-shown');
  const ps = await docker(host, ['ps', '--format', '{{.Names}}']);
  expect(ps.stdout).toContain('e2e-from-docker');
  const rm = await docker(host, ['rm', '-f', 'e2e-from-docker']);
  expect(rm.code, rm.stderr).toBe(0);
  await expect(containers.row('e2e-from-docker')).toHaveCount(0);

  const again = await app.settings();
  const once = await docker(host, ['run', '--rm', '--network', 'none', '--name', 'e2e-once', 'starter', 'true']);
  expect(once.code, once.stderr).toBe(0);
  await again.expectActivity(['container destroy e2e-once', 'container die e2e-once', 'container start e2e-once', 'container attach e2e-once', 'container create e2e-once']);
  await app.screenshot('docker-run-as-it-happens');
  await again.stopService();
  const refused = await docker(host, ['ps']);
  expect(refused.code).not.toBe(0);
});
