// The Build view: the recipe (a typed Dockerfile, tags), the Build button
// and the command it equals, the steps as they run or come from the cache
// (each `data-testid="build-step-N"`, its cache badge `data-cache`), and the
// new image's layer stack (layer-0 … from the bottom, as everywhere).

import { expect, type Locator } from '@playwright/test';
import { ImagePage } from './ImagePage';
import type { StrataApp } from './StrataApp';

/** What a step's badge says of the cache: its parent's image (FROM), reused, looked up and missed, or not looked up. */
export type StepCache = 'base' | 'hit' | 'miss' | 'not asked';

export class BuildPage {
  constructor(private readonly app: StrataApp) {}

  private get page() {
    return this.app.page;
  }

  private get recipe(): Locator {
    return this.page.getByRole('region', { name: 'Recipe' });
  }

  private get stack(): Locator {
    return this.page.getByRole('region', { name: 'Layer stack' });
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Build' })).toBeVisible();
  }

  /** Unfolds the recipe if a build folded it. */
  private async editRecipe(): Promise<void> {
    const edit = this.recipe.getByRole('button', { name: 'Edit', exact: true });
    if (await edit.isVisible()) await edit.click();
  }

  /** Types the Dockerfile into the recipe (no context folder: an empty context). */
  async typeDockerfile(text: string): Promise<void> {
    await this.editRecipe();
    await this.recipe.getByRole('button', { name: 'Typed here' }).click();
    await this.recipe.getByRole('textbox', { name: 'Context folder' }).fill('');
    await this.recipe.getByRole('textbox', { name: 'Dockerfile', exact: true }).fill(text);
  }

  async setTags(tags: string): Promise<void> {
    await this.editRecipe();
    await this.recipe.getByRole('textbox', { name: /^Tags/ }).fill(tags);
  }

  /** The `strata build` line the recipe equals. */
  get command(): Locator {
    return this.recipe.locator('.command code');
  }

  /** Presses Build (which must be enabled) and waits until the build ended, well. */
  async build(): Promise<void> {
    const button = this.recipe.getByRole('button', { name: 'Build', exact: true });
    await expect(button, 'Build is refused').not.toHaveAttribute('aria-disabled', 'true');
    await button.click();
    await expect(this.status).toContainText(/Built|Failed|Cancelled/, { timeout: 60_000 });
    await expect(this.status).toContainText('Built');
  }

  /** How the build stands or ended ("Building · step 2 of 3", "Built 3f2a9c1e0b7d in 1.2 s · tagged app:v1", "Failed at step 2…"). */
  get status(): Locator {
    return this.page.getByTestId('build-status');
  }

  /** "2 of 2 steps after FROM · 2 from cache · 0 ran · 0 new layers". */
  get tally(): Locator {
    return this.page.getByTestId('build-tally');
  }

  step(n: number): Locator {
    return this.page.getByTestId(`build-step-${n}`);
  }

  async expectStep(n: number, instruction: string, cache: StepCache): Promise<void> {
    await expect(this.step(n)).toContainText(instruction);
    await expect(this.step(n).locator('[data-cache]')).toHaveAttribute('data-cache', cache);
  }

  /** A read-only layer of the image being built, 0 at the bottom. */
  layer(index: number): Locator {
    return this.stack.getByTestId(`layer-${index}`);
  }

  get layers(): Locator {
    return this.stack.locator('[data-testid^="layer-"]');
  }

  /** Follows the link to the finished image's own view. */
  async openImage(reference: string): Promise<ImagePage> {
    await this.page.getByRole('link', { name: `Open ${reference}` }).click();
    const image = new ImagePage(this.app, reference);
    await image.waitUntilShown();
    return image;
  }
}
