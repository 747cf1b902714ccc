// The teacher's bar above every view: the tour, the kernel's steps,
// presentation mode with its laser, and the drawing exported for slides.

import type { Locator, Page } from '@playwright/test';
import type { StrataApp } from './StrataApp';

export class TeachingBar {
  constructor(private readonly app: StrataApp) {}

  private get page(): Page {
    return this.app.page;
  }

  get bar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Teaching' });
  }

  button(name: 'Tour' | 'Kernel steps' | 'Present' | 'Laser' | 'Export SVG' | 'Export PNG'): Locator {
    return this.bar.getByRole('button', { name, exact: true });
  }

  /** The file an export button saves, read back. */
  async export(kind: 'SVG' | 'PNG'): Promise<{ name: string; bytes: Buffer }> {
    const file = await this.app.catchSave(() => this.button(`Export ${kind}`).click());
    const fs = await import('node:fs');
    const path = await import('node:path');
    return { name: path.basename(file), bytes: fs.readFileSync(file) };
  }

  get laser(): Locator {
    return this.page.getByTestId('laser');
  }
}
