// Networks and volumes in the app: what a person runs in a terminal beside
// it (a web server publishing a port, a named volume, a second network)
// shows up drawn where it really is — the port as an arrow from the host, the
// container inside each network with its address, the volume with who mounts
// it, and in the container's view its network namespace and its mounts.

import { execFileSync } from 'node:child_process';
import { expect, test } from './support/fixtures';
import { strata } from './support/cli';
import { ContainerPage } from './pages/ContainerPage';

test('a published web server, two networks and a volume, drawn where they are', async ({ app }) => {
  const networks = await app.networks();
  await networks.create('e2e-back');
  const port = 18000 + Math.floor(Math.random() * 1000);
  const run = await strata(['run', '-d', '--name', 'e2e-web', '-p', `127.0.0.1:${port}:80`, '-v', 'e2e-data:/srv', 'starter', 'httpd', '-f', '-p', '80', '-h', '/etc']);
  expect(run.stderr).toBe('');
  expect((await strata(['network', 'connect', '--alias', 'www', 'e2e-back', 'e2e-web'])).code).toBe(0);

  await expect(networks.port(`127.0.0.1:${port} → 80/tcp`)).toBeVisible();
  await expect(networks.member('bridge', 'e2e-web')).toHaveAccessibleName(/^e2e-web: \d+\.\d+\.\d+\.\d+\/\d+ on eth0$/);
  await expect(networks.member('e2e-back', 'e2e-web')).toHaveAccessibleName(/^e2e-web: \d+\.\d+\.\d+\.\d+\/24 on eth1, aka www, [0-9a-f]{12}$/);
  await expect(networks.row('e2e-back').getByRole('button', { name: 'Remove' })).toHaveAttribute('aria-disabled', 'true');
  // What the picture says is what curl on the host gets.
  expect(execFileSync('curl', ['-s', '-m', '5', '--retry', '5', '--retry-connrefused', `http://127.0.0.1:${port}/hostname`], { encoding: 'utf8' }).trim()).toMatch(/^[0-9a-f]{12}$/);
  await app.screenshot('networks');

  const volumes = await app.volumes();
  const data = volumes.volume('e2e-data');
  await expect(data).toContainText('e2e-web at /srv');
  await expect(data).toContainText('running');
  await expect(data.getByRole('button', { name: 'Remove' })).toHaveAttribute('aria-disabled', 'true');
  await app.screenshot('volumes');

  const containers = await app.containers();
  const c = await containers.open('e2e-web');
  await expect(c.networkNamespace).toContainText('eth0');
  await expect(c.networkNamespace).toContainText('eth1');
  await expect(c.networkNamespace).toContainText(/default via \d+\.\d+\.\d+\.\d+ dev eth0/);
  await expect(c.mounts).toContainText('/srv');
  await expect(c.mounts).toContainText('volume e2e-data');
  await expect(c.mounts).toContainText(/not into the writable layer/);
  await app.screenshot('container-network-and-mounts');

  // The Create dialog takes ports, a network and volumes, and says the command they equal.
  const list = await app.containers();
  const bad = await list.fillCreate({ name: 'e2e-dialog', ports: ['8080:http'] });
  await expect(bad.getByRole('textbox', { name: 'Published port 1' })).toHaveAccessibleDescription(/invalid containerPort: http$/);
  await expect(bad.getByRole('button', { name: 'Create', exact: true })).toHaveAttribute('aria-disabled', 'true');
  await bad.getByRole('button', { name: 'Cancel' }).click();
  const dialog = await list.fillCreate({ name: 'e2e-dialog', ports: [`127.0.0.1:${port + 1}:80`], network: 'e2e-back', volumes: ['e2e-data:/data'], interactive: false });
  await app.screenshot('create-dialog-ports-network-volumes');
  await expect(dialog).toContainText(`strata create --name e2e-dialog -v e2e-data:/data --network e2e-back -p 127.0.0.1:${port + 1}:80 starter`);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await new ContainerPage(app, 'e2e-dialog').waitUntilShown();
  const [made] = JSON.parse((await strata(['inspect', 'e2e-dialog'])).stdout);
  expect(made.HostConfig.NetworkMode).toBe('e2e-back');
  expect(made.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port + 1) }] });
  expect(made.Mounts).toMatchObject([{ Type: 'volume', Name: 'e2e-data', Destination: '/data' }]);
  expect((await strata(['rm', 'e2e-dialog'])).code).toBe(0);

  expect((await strata(['rm', '-f', 'e2e-web'])).code).toBe(0);
  const after = await app.networks();
  await expect(after.port(`127.0.0.1:${port} → 80/tcp`)).toHaveCount(0);
  // Nothing is on it any more, so it may go.
  const remove = after.row('e2e-back').getByRole('button', { name: 'Remove' });
  await expect(remove).not.toHaveAttribute('aria-disabled', 'true');
  await remove.click();
  await expect(after.group('e2e-back')).toHaveCount(0);
  expect((await strata(['volume', 'rm', 'e2e-data'])).code).toBe(0);
});
