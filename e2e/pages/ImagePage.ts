// One image's view: its layer stack, bottom (layer-0) to top.

import { expect, type Locator } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class ImagePage {
  constructor(
    private readonly app: StrataApp,
    readonly reference: string,
  ) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1 }).filter({ hasText: this.reference.replace(/:latest$/, '') })).toBeVisible({
      timeout: 30_000,
    });
  }

  /** The read-only layers drawn (layer-0, layer-1, ...; never the writable layer). */
  get layers(): Locator {
    return this.page.locator('[data-testid^="layer-"]:not([data-testid="layer-rw"])');
  }

  layer(index: number): Locator {
    return this.page.getByTestId(`layer-${index}`);
  }

  async expectLayerCount(count: number): Promise<void> {
    await expect(this.layers).toHaveCount(count);
    await expect(this.layer(count - 1)).toBeVisible();
  }

  /** Remove (`strata rmi`): the app then shows the images that are left. */
  async remove(): Promise<void> {
    const button = this.page.getByRole('group', { name: `Actions on ${this.reference}` }).getByRole('button', { name: 'Remove', exact: true });
    await expect(button, 'Remove is refused').not.toHaveAttribute('aria-disabled', 'true');
    await button.click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Images' })).toBeVisible({ timeout: 30_000 });
  }
}
