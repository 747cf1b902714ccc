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
    for (const [i, e] of (o.env ?? []).entries()) {
      const env = await this.section('Environment');
      if (i > 0) await env.getByRole('button', { name: '+ Add a variable' }).click();
      await env.getByRole('textbox', { name: `Environment variable ${i + 1}` }).fill(e);
    }
    if (o.stopTimeout !== undefined || o.stopSignal !== undefined) {
      const stopping = await this.section('Entrypoint and stopping');
      if (o.stopTimeout !== undefined) await stopping.getByRole('textbox', { name: /^Stop timeout/ }).fill(o.stopTimeout);
      if (o.stopSignal !== undefined) await stopping.getByRole('combobox', { name: /^Stop signal/ }).fill(o.stopSignal);
    }
  }

  async submit(): Promise<void> {
    await expect(this.submitButton).not.toHaveAttribute('aria-disabled', 'true');
    await this.submitButton.click();
    await expect(this.dialog).toHaveCount(0);
  }
}
