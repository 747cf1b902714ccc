// The tour as a learner meets it: its card (the step, its words, the
// commands it ran), the ring on the drawing, the kernel's steps beside it
// and the keys that move it.

import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export class TourPage {
  constructor(
    readonly page: Page,
    private readonly testInfo: TestInfo,
  ) {}

  get card(): Locator {
    return this.page.getByTestId('tour');
  }

  get pointer(): Locator {
    return this.page.getByTestId('tour-pointer');
  }

  get timeline(): Locator {
    return this.page.getByTestId('kernel-timeline');
  }

  /** The kernel steps of one kind in the timeline. */
  kernelSteps(step: string): Locator {
    return this.timeline.locator(`li.timeline-step[data-step="${step}"]`);
  }

  /** Waits until the tour shows `id` and its run has ended well (it fails on the step's own error otherwise). */
  async expectStepDone(id: string, timeout = 60_000): Promise<void> {
    await expect(this.card).toHaveAttribute('data-step', id, { timeout });
    await expect(this.card).not.toHaveAttribute('data-status', /running|idle/, { timeout });
    const failure = this.card.getByRole('alert');
    if (await failure.isVisible()) throw new Error(`tour step ${id} failed: ${await failure.textContent()}`);
    await expect(this.card).toHaveAttribute('data-status', 'done');
  }

  /** The commands the step says it ran, as shown. */
  async commands(): Promise<string[]> {
    const lines = await this.card.getByTestId('tour-commands').locator('li code').allTextContents();
    return lines.map((l) => l.replace(/^\$\s*/, '').trim()).filter(Boolean);
  }

  async body(): Promise<string> {
    return (await this.card.locator('.tour-body').textContent()) ?? '';
  }

  /** The ring is on screen, around the first element the step names. */
  async expectPointingAt(): Promise<Locator> {
    await expect(this.pointer).toBeVisible();
    const selector = (await this.pointer.getAttribute('data-target'))!;
    const target = this.page.locator(selector).first();
    await expect(target).toBeVisible();
    return target;
  }

  /**
   * The room the view gives its layer drawing beside the tour's rail: the
   * drawing's width, and for each layer's name how many of its characters
   * show (a name cut with an ellipsis shows the share of it its box holds).
   */
  async drawingRoom(): Promise<{ width: number; names: { shown: number; of: number }[] }> {
    return this.page.locator('main .stack').first().evaluate((stack) => ({
      width: stack.getBoundingClientRect().width,
      names: Array.from(stack.querySelectorAll('.slab-title')).map((title) => {
        const of = (title.textContent ?? '').trim().length;
        return { shown: Math.floor((of * Math.min(title.clientWidth, title.scrollWidth)) / title.scrollWidth), of };
      }),
    }));
  }

  async press(key: 'ArrowRight' | 'ArrowLeft' | 'r' | 'Home' | 'Escape'): Promise<void> {
    // Keys reach the tour from anywhere but a field: take the focus off whatever has it.
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: this.testInfo.outputPath(`${name}.png`) });
  }
}
