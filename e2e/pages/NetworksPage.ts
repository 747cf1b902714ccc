// The Networks view: the picture of the host, its networks and the
// containers on them, the published ports as arrows, and the table.

import { expect } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class NetworksPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Networks' })).toBeVisible();
  }

  /** A network's group in the picture (named "Network NAME: ..."). */
  group(name: string) {
    return this.page.getByRole('group', { name: new RegExp(`^Network ${name}:`) });
  }

  /** A container's box inside a network's group (named "NAME: ADDRESS ..."). */
  member(network: string, container: string) {
    return this.group(network).getByRole('link', { name: new RegExp(`^${container}:`) });
  }

  /** The arrow of a published port, named by its label ("127.0.0.1:8080 → 80/tcp"). */
  port(label: string) {
    return this.page.getByRole('img', { name: `Published port: host ${label}` });
  }

  /** Creates a network with the dialog and waits for its group. */
  async create(name: string, opts: { internal?: boolean } = {}): Promise<void> {
    await this.page.getByRole('button', { name: 'Create network…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create a network' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill(name);
    if (opts.internal) await dialog.getByRole('checkbox', { name: /Internal/ }).check();
    await expect(dialog.getByText(`strata network create ${opts.internal ? '--internal ' : ''}${name}`)).toBeVisible();
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(this.group(name)).toBeVisible();
  }

  row(name: string) {
    return this.page.getByTestId('network-list').getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }
}
