// The Settings view: the Docker Engine API service, its state, its buttons
// and the DOCKER_HOST line it tells a person to export.

import { expect } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class SettingsPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  }

  get serviceState() {
    return this.page.getByRole('status', { name: 'Service' });
  }

  async startService(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start the service', exact: true }).click();
    await expect(this.serviceState).toContainText(/^Running on unix:\/\//, { timeout: 20_000 });
  }

  async stopService(): Promise<void> {
    await this.page.getByRole('button', { name: 'Stop the service', exact: true }).click();
    await expect(this.serviceState).toContainText(/^Stopped/, { timeout: 20_000 });
  }

  /** The newest lines of the activity list, each "TYPE ACTION NAME", start with these (newest first). */
  async expectActivity(lines: string[]): Promise<void> {
    const items = this.page.getByRole('list', { name: 'As it happens' }).getByRole('listitem');
    await expect(async () => {
      const texts = (await items.allTextContents()).map((t) => t.replace(/^\d+:\d\d:\d\d\s+/, '').replace(/\s+\(.*\)$/, ''));
      expect(texts.slice(0, lines.length)).toEqual(lines);
    }).toPass({ timeout: 10_000 });
  }

  /** What the view says to export. */
  async dockerHost(): Promise<string> {
    const text = await this.page.getByLabel('DOCKER_HOST').textContent();
    const m = /export DOCKER_HOST=(\S+)/.exec(text ?? '');
    if (!m) throw new Error(`no DOCKER_HOST line in ${JSON.stringify(text)}`);
    return m[1];
  }
}
