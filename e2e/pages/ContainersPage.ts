// The Containers view (`ps -a`): its rows with their actions, and the Run
// and Create dialogs.

import { expect, type Locator } from '@playwright/test';
import { ContainerPage } from './ContainerPage';
import { RunDialog, type RunOptions } from './RunDialog';
import type { StrataApp } from './StrataApp';

export interface NewContainer extends RunOptions {
  name: string;
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

  /** Opens the Run… or Create… dialog of the view's header. */
  async openDialog(mode: 'run' | 'create'): Promise<RunDialog> {
    await this.page.getByRole('button', { name: mode === 'run' ? 'Run…' : 'Create…', exact: true }).click();
    const dialog = new RunDialog(this.app, mode);
    await dialog.waitUntilShown();
    return dialog;
  }

  /** Opens the Create dialog and fills it in; returns the dialog, not yet submitted. */
  async fillCreate(c: NewContainer): Promise<Locator> {
    const dialog = await this.openDialog('create');
    await dialog.fill(c);
    return dialog.dialog;
  }

  /** Creates (or runs) a container with the dialog; the app then shows it. */
  async create(c: NewContainer, mode: 'run' | 'create' = 'create'): Promise<ContainerPage> {
    const dialog = await this.openDialog(mode);
    await dialog.fill(c);
    await dialog.submit();
    const container = new ContainerPage(this.app, c.name);
    await container.waitUntilShown();
    return container;
  }

  /** The row's own actions: its main button and its "⋯" menu. */
  rowActions(name: string): Locator {
    return this.row(name).getByRole('group', { name: `Actions on ${name}` });
  }

  /** Opens the row's "⋯" menu and picks an item by name. */
  async fromRowMenu(name: string, item: string): Promise<void> {
    await this.rowActions(name).getByRole('button', { name: `More actions on ${name}` }).click();
    await this.page.getByRole('menu', { name: `More actions on ${name}` }).getByRole('menuitem', { name: new RegExp(`^${item}`) }).click();
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
