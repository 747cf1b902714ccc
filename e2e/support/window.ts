// Whether something is whole inside the window: what a person at a
// 1280-pixel laptop or a projector can see and reach without scrolling sideways.

import { expect, type Locator, type Page } from '@playwright/test';

export async function expectInsideWindow(page: Page, box: Locator): Promise<void> {
  const b = (await box.boundingBox())!;
  const view = page.viewportSize()!;
  expect(b.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(b.y, 'top edge').toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, 'right edge').toBeLessThanOrEqual(view.width);
  expect(b.y + b.height, 'bottom edge').toBeLessThanOrEqual(view.height);
}
