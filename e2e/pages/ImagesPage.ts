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

  /** The row's "⋯" menu, open: its items are menuitems. */
  async rowMenu(reference: string): Promise<Locator> {
    await this.row(reference).first().getByRole('button', { name: `More actions on ${reference}` }).click();
    const menu = this.page.getByRole('menu', { name: `More actions on ${reference}` });
    await expect(menu).toBeVisible();
    return menu;
  }

  /** Save: the image as an archive (`strata save`), from the row's menu; resolves to the saved file. */
  async save(reference: string): Promise<string> {
    const menu = await this.rowMenu(reference);
    return this.app.catchSave(() => menu.getByRole('menuitem', { name: 'Save', exact: true }).click());
  }

  /** The Top-level / All switch; each button says how many images it lists. */
  toggle(which: 'Top-level' | 'All'): Locator {
    return this.page.getByRole('group', { name: 'Which images' }).getByRole('button', { name: new RegExp(`^${which}`) });
  }

  /** The rows of the list (one per tag, as `strata images` prints). */
  get rows(): Locator {
    return this.page.getByTestId('image-list').locator('tbody tr');
  }

  /** The family tree's images (not scratch). */
  get treeNodes(): Locator {
    return this.page.getByRole('group', { name: 'Family tree: which image is built on which' }).getByRole('link');
  }

  /** Loads an archive through the Load… dialog (uploaded from the browser). */
  async load(file: string): Promise<void> {
    await this.page.getByRole('button', { name: /^Load/ }).first().click();
    const dialog = this.page.getByRole('dialog', { name: 'Load images from an archive' });
    await dialog.getByLabel('Archive').setInputFiles(file);
    await dialog.getByRole('button', { name: 'Load', exact: true }).click();
    await expect(dialog).toHaveCount(0, { timeout: 60_000 });
  }
}
