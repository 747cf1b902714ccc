// The Run dialog takes the options `strata run` has, grouped, and its
// command line follows every keystroke; what it runs gets exactly those:
// the environment, working directory, user, host name and labels show from
// inside the container and in inspect.

import { expect, test } from './support/fixtures';
import { ContainerPage } from './pages/ContainerPage';

test('the Run dialog’s options reach the container, and its command line follows them as they are typed', async ({ app }) => {
  const containers = await app.containers();
  const run = await containers.openDialog('run');
  await run.fill({ name: 'e2e-options', command: 'sh -c \'echo "$GREETING from $(pwd) as $(id -u) on $(hostname)"\'', interactive: false, env: ['GREETING=hello'] });
  await expect(run.command).toHaveText(`$ strata run -d --name e2e-options -e GREETING=hello starter:latest sh -c 'echo "$GREETING from $(pwd) as $(id -u) on $(hostname)"'`);
  const env = await run.section('Environment');
  await env.getByRole('textbox', { name: /^Working directory/ }).fill('/tmp');
  await expect(run.command).toContainText('-e GREETING=hello -w /tmp starter:latest');
  await env.getByRole('textbox', { name: /^User/ }).fill('65534');
  await env.getByRole('textbox', { name: /^Host name/ }).fill('classroom');
  const labels = await run.section('Labels');
  await labels.getByRole('textbox', { name: 'Label 1' }).fill('lesson=layers');
  await expect(run.command).toHaveText(
    `$ strata run -d --name e2e-options -e GREETING=hello -w /tmp -u 65534 -h classroom -l lesson=layers starter:latest sh -c 'echo "$GREETING from $(pwd) as $(id -u) on $(hostname)"'`,
  );
  // A mistake is said where it was made, and the dialog cannot run it.
  const storage = await run.section('Storage');
  await storage.getByRole('textbox', { name: 'Volume 1' }).fill('data/cache:/data');
  await expect(storage).toContainText('"data/cache" includes invalid characters for a local volume name');
  await expect(run.submitButton).toHaveAttribute('aria-disabled', 'true');
  await storage.getByRole('button', { name: 'Remove volume 1' }).click();
  // Fixed, the group stays open where the person was working.
  await expect(storage).toHaveAttribute('open', '');
  await expect(run.submitButton).not.toHaveAttribute('aria-disabled', 'true');
  await app.screenshotsAtSizes('run-dialog-options');
  await run.submit();

  // Run opens the new container's view.
  const c = new ContainerPage(app, 'e2e-options');
  await c.waitUntilShown();
  await c.expectState('exited');
  const logs = await c.openTab('Logs');
  await expect(logs.getByRole('list', { name: 'Log lines' })).toContainText('hello from /tmp as 65534 on classroom');
  const inspect = await c.openTab('Inspect');
  await expect(inspect).toContainText('"lesson": "layers"');
});
