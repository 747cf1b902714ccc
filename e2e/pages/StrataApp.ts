// The Strata window as a user sees it: the sections in the sidebar, the live
// indicator, the command strip. Every other page object starts here.

import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { BuildPage } from './BuildPage';
import { ContainersPage } from './ContainersPage';
import { ImagesPage } from './ImagesPage';
import { NetworksPage } from './NetworksPage';
import { VolumesPage } from './VolumesPage';
import { SettingsPage } from './SettingsPage';

/** Runs an action that saves a file (Save, Export) and resolves to where the file landed. */
export type SaveCatcher = (action: () => Promise<void>) => Promise<string>;

export class StrataApp {
  /** Runs an action that saves a file, the way this shell saves; resolves to the file. */
  readonly catchSave: SaveCatcher;

  constructor(
    readonly page: Page,
    private readonly testInfo: TestInfo,
    saving: (app: StrataApp) => SaveCatcher,
    /** Loads the app anew as this shell's user would: the printed address again in a browser (a reload drops the page's token), a reload in Electron. */
    private readonly loadAgain: (page: Page) => Promise<unknown>,
  ) {
    this.catchSave = saving(this);
  }

  /** The app loaded anew (a closed tab opened again, a reload in Electron), live again. */
  async reopen(): Promise<void> {
    await this.loadAgain(this.page);
    await this.waitUntilLive();
  }

  /** The app follows the engine's events (the sidebar says so). */
  async waitUntilLive(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: /^Live/ })).toBeVisible({ timeout: 20_000 });
  }

  private section(name: 'Containers' | 'Images' | 'Networks' | 'Volumes' | 'Build' | 'Settings') {
    return this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: new RegExp(`^${name}`) });
  }

  async images(): Promise<ImagesPage> {
    await this.section('Images').click();
    const images = new ImagesPage(this);
    await images.waitUntilShown();
    return images;
  }

  async networks(): Promise<NetworksPage> {
    await this.section('Networks').click();
    const networks = new NetworksPage(this);
    await networks.waitUntilShown();
    return networks;
  }

  async volumes(): Promise<VolumesPage> {
    await this.section('Volumes').click();
    const volumes = new VolumesPage(this);
    await volumes.waitUntilShown();
    return volumes;
  }

  async build(): Promise<BuildPage> {
    await this.section('Build').click();
    const build = new BuildPage(this);
    await build.waitUntilShown();
    return build;
  }

  async settings(): Promise<SettingsPage> {
    await this.section('Settings').click();
    const settings = new SettingsPage(this);
    await settings.waitUntilShown();
    return settings;
  }

  async containers(): Promise<ContainersPage> {
    await this.section('Containers').click();
    const containers = new ContainersPage(this);
    await containers.waitUntilShown();
    return containers;
  }

  /** The bottom strip: the command each action equals, and how it ended. */
  get commandStrip() {
    return this.page.getByRole('region', { name: 'Commands' });
  }

  /** Waits for the command strip's latest entry to be `command`, finished well (it fails on the engine's message otherwise). */
  async expectLastCommandDone(command: RegExp, timeout = 30_000): Promise<void> {
    const latest = this.commandStrip.locator('.strip-latest');
    await expect(latest).toContainText(command);
    await expect(latest).not.toContainText(/running/, { timeout });
    await expect(latest).toContainText(/done/);
  }

  /** The number the sidebar shows beside a section. */
  sidebarCount(name: 'Containers' | 'Images'): Locator {
    return this.section(name).locator('.nav-count');
  }

  /** The sections, their counts, the teacher's buttons and the engine's facts, on the left. */
  get sidebar(): Locator {
    return this.page.getByRole('navigation', { name: 'Sections' });
  }

  /** The teaching rail on the right: the tour's card above the kernel's steps. */
  get rail(): Locator {
    return this.page.locator('.rail');
  }

  /**
   * What a part of the window cuts off or pushes out: each element in it
   * whose content is wider than its own box, or that reaches past the
   * part's inner right edge, named by its words. Empty when all is whole.
   */
  async clippedIn(part: Locator): Promise<string[]> {
    await expect(this.sidebarCount('Containers')).toBeVisible();
    return part.evaluate((box) => {
      const edge = box.getBoundingClientRect().left + box.clientLeft + box.clientWidth;
      const name = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
      const cut = [box, ...Array.from(box.querySelectorAll('*'))].filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0) return false;
        return r.right > edge + 0.5 || el.scrollWidth > el.clientWidth + 1;
      });
      return cut.map(name);
    });
  }

  /** Kept under test-results/ whatever the outcome, so a reviewer can see what the test saw. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: this.testInfo.outputPath(`${name}.png`), fullPage: true });
  }

  /** The window as it is, at the two sizes the app is made for (a laptop, a projector), kept under test-results/. */
  async screenshotsAtSizes(name: string): Promise<void> {
    const before = this.page.viewportSize();
    for (const [w, h] of [
      [1280, 720],
      [1920, 1080],
    ]) {
      await this.page.setViewportSize({ width: w, height: h });
      await this.page.screenshot({ path: this.testInfo.outputPath(`${name}-${w}x${h}.png`) });
    }
    if (before) await this.page.setViewportSize(before);
  }
}
