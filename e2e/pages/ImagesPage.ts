// The Images view (`images`): the list, the starter-image offer on an empty
// store, and each image's actions (Run, Create, Tag, History, Save, Remove).

import { expect, type Locator } from '@playwright/test';
import { ImagePage } from './ImagePage';
import type { StrataApp } from './StrataApp';

export class ImagesPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Images' })).toBeVisible();
  }

  /** The image's row, found by a repository:tag it carries. */
  row(reference: string): Locator {
    return this.page.getByRole('row').filter({ hasText: reference });
  }

  private get starterOffer(): Locator {
    return this.page.getByRole('button', { name: /starter image/i });
  }

  /** An empty store offers to make the starter image, and lists nothing. */
  async expectEmpty(): Promise<void> {
    await expect(this.starterOffer).toBeVisible();
    await expect(this.page.getByRole('row').filter({ hasText: /sha256:|[0-9a-f]{12}/ })).toHaveCount(0);
  }

  /** The one line the offer shows when the starter image will be smaller than busybox's. */
  async expectStarterWarning(text: RegExp): Promise<void> {
    await expect(this.page.getByRole('note').filter({ hasText: 'busybox' })).toHaveText(text);
  }

  async bootstrapStarter(): Promise<void> {
    await this.starterOffer.click();
  }

  async expectImage(reference: string): Promise<void> {
    await expect(this.row(reference)).toBeVisible({ timeout: 30_000 });
  }

  async open(reference: string): Promise<ImagePage> {
    await this.row(reference).getByRole('link').first().click();
    const image = new ImagePage(this.app, reference);
    await image.waitUntilShown();
    return image;
  }

  /** Save: the image as an archive (`strata save`); resolves to the saved file. */
  async save(reference: string): Promise<string> {
    const button = this.row(reference).first().getByRole('button', { name: 'Save', exact: true });
    await expect(button, 'Save is refused').not.toHaveAttribute('aria-disabled', 'true');
    return this.app.catchSave(() => button.click());
  }
}
