// The pull from the Images view: the Pull dialog, and the panel where the
// image's stack grows while its layers arrive.

import { expect, type Locator } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class PullPanel {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  get panel(): Locator {
    return this.page.getByTestId('pull-panel');
  }

  /** Opens the Pull dialog and starts a pull of `reference`. */
  async start(reference: string, platform = ''): Promise<void> {
    await this.page.getByRole('button', { name: 'Pull…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Pull an image' });
    await dialog.getByLabel('Image').fill(reference);
    if (platform) await dialog.getByLabel('Platform (optional)').fill(platform);
    await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect(this.panel).toBeVisible();
  }

  /**
   * Samples, every animation frame in the page, how many of the stack's
   * layers are in the store (pulled or shared); call the returned function
   * to stop and get the distinct counts seen, in order.
   */
  async recordGrowth(): Promise<() => Promise<number[]>> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __growth: number[]; __growing: boolean };
      w.__growth = [];
      w.__growing = true;
      const sample = () => {
        const n = document.querySelectorAll('[data-testid="pull-stack"] [data-stage="done"], [data-testid="pull-stack"] [data-stage="shared"]').length;
        if (w.__growth.at(-1) !== n) w.__growth.push(n);
        if (w.__growing) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    return async () =>
      this.page.evaluate(() => {
        const w = window as unknown as { __growth: number[]; __growing: boolean };
        w.__growing = false;
        return w.__growth;
      });
  }

  async expectPulled(timeout = 60_000): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-phase', 'pulled', { timeout });
  }

  layer(index: number): Locator {
    return this.page.getByTestId(`pull-layer-${index}`);
  }

  async close(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Close' }).click();
  }
}
