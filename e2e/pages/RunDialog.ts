// The Run and Create dialogs: the image (and, on an empty store, the ways to
// get one), name and command, the option groups (each a <details> opened by
// its title), and the command line they equal.

import { expect, type Locator } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export interface RunOptions {
  /** The image to create it from; the starter image by default. */
  image?: string;
  name?: string;
  /** The command, as typed into the dialog; the image's own when absent. */
  command?: string;
  /** -it: keep stdin open with a terminal (the dialog's default). */
  interactive?: boolean;
  env?: string[];
  stopTimeout?: string;
  stopSignal?: string;
  /** -p values, one a row ("127.0.0.1:8080:80", "53/udp"). */
  ports?: string[];
  /** --network; the default bridge when absent. */
  network?: string;
  /** -v values, one a row ("data:/data", "/srv:/mnt:ro"). */
  volumes?: string[];
  /** -m, as typed ("24m"). */
  memory?: string;
  /** --pids-limit. */
  pidsLimit?: string;
}

export class RunDialog {
  constructor(
    private readonly app: StrataApp,
    readonly mode: 'run' | 'create',
  ) {}

  get dialog(): Locator {
    return this.app.page.getByRole('dialog', { name: this.mode === 'run' ? 'Run a container' : 'Create a container' });
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.dialog).toBeVisible();
  }

  /** What the dialog equals on the command line, as it reads now ("$ strata run ..."). */
  get command(): Locator {
    return this.dialog.locator('.dialog-command code');
  }

  /** The image field: one of the store's images, or any name to pull. */
  get image(): Locator {
    return this.dialog.getByRole('combobox', { name: /^Image\b/ });
  }

  get submitButton(): Locator {
    return this.dialog.getByRole('button', { name: this.mode === 'run' ? 'Run' : 'Create', exact: true });
  }

  /** Opens an option group by its title ("Terminal and lifetime", "Entrypoint and stopping"...). */
  async section(title: string): Promise<Locator> {
    const details = this.dialog.locator('details').filter({ has: this.app.page.locator('summary', { hasText: title }) });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await expect(details).toHaveAttribute('open', '');
    return details;
  }

  async fill(o: RunOptions): Promise<void> {
    await this.image.fill(o.image ?? 'starter:latest');
    // Each field's name is its label then its hint.
    if (o.name !== undefined) await this.dialog.getByRole('textbox', { name: /^Name\b/ }).fill(o.name);
    if (o.command !== undefined) await this.dialog.getByRole('textbox', { name: /^Command\b/ }).fill(o.command);
    const interactive = o.interactive ?? true;
    const terminal = await this.section('Terminal and lifetime');
    await terminal.getByRole('checkbox', { name: /standard input/ }).setChecked(interactive);
    await terminal.getByRole('checkbox', { name: /terminal/ }).setChecked(interactive);
    await this.fillList('Environment', 'Environment variable', 'Add a variable', o.env ?? []);
    await this.fillList('Storage', 'Volume', 'Add a volume', o.volumes ?? []);
    if (o.network !== undefined) {
      const network = await this.section('Network');
      await network.getByRole('combobox', { name: /^Network\b/ }).selectOption(o.network === 'bridge' ? '' : o.network);
    }
    await this.fillList('Network', 'Published port', 'Add a port', o.ports ?? []);
    if (o.memory !== undefined || o.pidsLimit !== undefined) {
      const resources = await this.section('Resources');
      if (o.memory !== undefined) await resources.getByRole('textbox', { name: /^Memory limit/ }).fill(o.memory);
      if (o.pidsLimit !== undefined) await resources.getByRole('textbox', { name: /^Process limit/ }).fill(o.pidsLimit);
    }
    if (o.stopTimeout !== undefined || o.stopSignal !== undefined) {
      const stopping = await this.section('Entrypoint and stopping');
      if (o.stopTimeout !== undefined) await stopping.getByRole('textbox', { name: /^Stop timeout/ }).fill(o.stopTimeout);
      if (o.stopSignal !== undefined) await stopping.getByRole('combobox', { name: /^Stop signal/ }).fill(o.stopSignal);
    }
  }

  /** Types `values` into a list field of a section, a row each ("Volume 1", "Volume 2"...). */
  private async fillList(section: string, item: string, add: string, values: readonly string[]): Promise<void> {
    for (const [i, v] of values.entries()) {
      const group = await this.section(section);
      if (i > 0) await group.getByRole('button', { name: `+ ${add}` }).click();
      await group.getByRole('textbox', { name: `${item} ${i + 1}` }).fill(v);
    }
  }

  async submit(): Promise<void> {
    await expect(this.submitButton).not.toHaveAttribute('aria-disabled', 'true');
    await this.submitButton.click();
    await expect(this.dialog).toHaveCount(0);
  }
}
