// The Containers view (`ps -a`) and its Create dialog.

import { expect } from '@playwright/test';
import { ContainerPage } from './ContainerPage';
import type { StrataApp } from './StrataApp';

export interface NewContainer {
  name: string;
  /** The image to create it from; the starter image by default. */
  image?: string;
  /** The command, as typed into the dialog; the image's own when absent. */
  command?: string;
  /** -it: keep stdin open with a terminal (the dialog's default). */
  interactive?: boolean;
  /** -m, as typed ("24m"). */
  memory?: string;
  /** --pids-limit. */
  pidsLimit?: string;
  /** -p values, as typed ("127.0.0.1:8080:80 53/udp"). */
  ports?: string;
  /** --network; the default bridge when absent. */
  network?: string;
  /** -v values, as typed ("data:/data /srv:/mnt:ro"). */
  volumes?: string;
}

export class ContainersPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Containers' })).toBeVisible();
  }

  /** The container's row in the list. */
  row(name: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** Opens the Create dialog and fills it in; returns the dialog, not yet submitted. */
  async fillCreate(c: NewContainer) {
    await this.page.getByRole('button', { name: 'Create…', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create a container' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Image' }).selectOption(c.image ?? 'starter:latest');
    // Each field's name is its label then its hint.
    await dialog.getByRole('textbox', { name: /^Name\b/ }).fill(c.name);
    if (c.command !== undefined) await dialog.getByRole('textbox', { name: /^Command\b/ }).fill(c.command);
    if (c.memory !== undefined) await dialog.getByRole('textbox', { name: /^Memory limit\b/ }).fill(c.memory);
    if (c.pidsLimit !== undefined) await dialog.getByRole('textbox', { name: /^Process limit\b/ }).fill(c.pidsLimit);
    if (c.ports !== undefined) await dialog.getByRole('textbox', { name: /^Ports\b/ }).fill(c.ports);
    if (c.network !== undefined) await dialog.getByRole('combobox', { name: /^Network\b/ }).selectOption(c.network);
    if (c.volumes !== undefined) await dialog.getByRole('textbox', { name: /^Volumes\b/ }).fill(c.volumes);
    await dialog.getByRole('checkbox').setChecked(c.interactive ?? true);
    return dialog;
  }

  /** Creates a container with the Create dialog; the app then shows it. */
  async create(c: NewContainer): Promise<ContainerPage> {
    const dialog = await this.fillCreate(c);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const container = new ContainerPage(this.app, c.name);
    await container.waitUntilShown();
    return container;
  }

  async open(name: string): Promise<ContainerPage> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
    const container = new ContainerPage(this.app, name);
    await container.waitUntilShown();
    return container;
  }

  async expectListed(name: string): Promise<void> {
    await expect(this.row(name)).toBeVisible();
  }

  async expectGone(name: string): Promise<void> {
    await expect(this.row(name)).toHaveCount(0);
  }
}
