// The Volumes view: each volume with its size, host directory and the
// containers that mount it.

import { expect } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class VolumesPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Volumes' })).toBeVisible();
  }

  /** A volume's card, named "Volume NAME, SIZE". */
  volume(name: string) {
    return this.page.getByRole('listitem', { name: new RegExp(`^Volume ${name}, `) });
  }
}
