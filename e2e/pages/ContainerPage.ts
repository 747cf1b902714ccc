// One container's view: its lifecycle buttons (named exactly as Docker's
// verbs), its state (data-testid="container-state"), its stack (layer-0 …
// and layer-rw) and its tabs (Files, Logs, Terminal, ...).

import { expect, type Locator } from '@playwright/test';
import type { ContainerState } from '../../engine/api';
import { ImagePage } from './ImagePage';
import type { StrataApp } from './StrataApp';

export type LifecycleAction = 'Create' | 'Start' | 'Stop' | 'Kill' | 'Pause' | 'Unpause' | 'Restart' | 'Commit' | 'Export' | 'Remove';
export type ContainerTab = 'Files' | 'Logs' | 'Resources' | 'Terminal' | 'Inspect' | 'Runtime spec' | 'On disk';

export class ContainerPage {
  constructor(
    private readonly app: StrataApp,
    readonly name: string,
  ) {}

  private get page() {
    return this.app.page;
  }

  async waitUntilShown(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: this.name })).toBeVisible();
  }

  button(action: LifecycleAction): Locator {
    return this.page.getByRole('button', { name: action, exact: true });
  }

  get state(): Locator {
    return this.page.getByTestId('container-state');
  }

  /** A read-only layer of its stack, 0 at the bottom. */
  layer(index: number): Locator {
    return this.page.getByTestId(`layer-${index}`);
  }

  get writableLayer(): Locator {
    return this.page.getByTestId('layer-rw');
  }

  /** The process space's network namespace: its interfaces and routes. */
  get networkNamespace(): Locator {
    return this.page.getByRole('region', { name: 'Network namespace' });
  }

  /** What is mounted over the layers, beside them. */
  get mounts(): Locator {
    return this.page.getByRole('complementary', { name: 'Mounts beside the layers' });
  }

  /** Waits for the page to show `state` (a stop may take the container's whole grace period). */
  async expectState(state: ContainerState): Promise<void> {
    await expect(this.state).toHaveText(state, { timeout: 30_000 });
  }

  /** Presses a lifecycle button, which must be enabled, and waits until no action is still busy. */
  async press(action: LifecycleAction): Promise<void> {
    const button = this.button(action);
    await expect(button, `${action} is refused`).not.toHaveAttribute('aria-disabled', 'true');
    await button.click();
    await expect(this.page.locator('button[aria-busy="true"]')).toHaveCount(0, { timeout: 30_000 });
  }

  async expectRefused(action: LifecycleAction): Promise<void> {
    await expect(this.button(action)).toHaveAttribute('aria-disabled', 'true');
  }

  async openTab(tab: ContainerTab): Promise<Locator> {
    await this.page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    return this.page.getByRole('tabpanel');
  }

  /** Types a command line into the Terminal tab's shell (xterm.js), Enter included. */
  async typeInTerminal(line: string): Promise<void> {
    const panel = await this.openTab('Terminal');
    const input = panel.getByRole('textbox', { name: 'Terminal input' });
    await expect(input).toBeAttached({ timeout: 15_000 });
    await input.focus();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** What the Terminal tab shows (its rows as text). */
  async terminalText(): Promise<string> {
    return (await this.page.locator('.xterm-rows').textContent()) ?? '';
  }

  /** The Files tab lists `path` among the writable layer's changes (`strata diff`), marked as added. */
  async expectAddedInWritableLayer(path: string): Promise<void> {
    const panel = await this.openTab('Files');
    const changes = panel.getByRole('list', { name: 'Changes in the writable layer' });
    const entry = changes.getByRole('listitem').filter({ hasText: path });
    await expect(entry).toBeVisible({ timeout: 15_000 });
    await expect(entry).toContainText('Added');
  }

  /** What a stop or kill did: the signals sent, the grace countdown, the exit code read out. */
  get signalPanel(): Locator {
    return this.page.getByTestId('signal-panel');
  }

  /** Clicks a path of the merged tree (Files tab), opening the directories on its way first; its details show beside the tree. */
  async openFile(path: string): Promise<Locator> {
    const panel = await this.openTab('Files');
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = panel.locator(`[data-path="/${parts.slice(0, i).join('/')}"]`);
      if ((await dir.getAttribute('aria-expanded')) !== 'true') await dir.click();
      await expect(dir).toHaveAttribute('aria-expanded', 'true');
    }
    await panel.locator(`[data-path="${path}"]`).click();
    const details = this.page.getByTestId('file-details');
    await expect(details.getByRole('heading', { name: path })).toBeVisible();
    return details;
  }

  /** Clicks a path of the writable layer's changes (`strata diff`, Files tab); its details show. */
  async openChange(path: string): Promise<Locator> {
    const panel = await this.openTab('Files');
    await panel.getByRole('list', { name: 'Changes in the writable layer' }).getByRole('button', { name: `${path}: details` }).click();
    const details = this.page.getByTestId('file-details');
    await expect(details.getByRole('heading', { name: path })).toBeVisible();
    return details;
  }

  /** The Resources tab's live chart of `what`, and the limit line drawn on it. */
  chart(what: 'memory' | 'cpu' | 'pids'): { chart: Locator; limit: Locator } {
    return { chart: this.page.getByTestId(`chart-${what}`), limit: this.page.getByTestId(`chart-${what}-limit`) };
  }

  /** The Resources tab's row of figures, as `strata stats` prints them. */
  get statsNow(): Locator {
    return this.page.getByTestId('stats-now');
  }

  /** The Resources tab's note that the OOM killer ended the container. */
  get oomNote(): Locator {
    return this.page.getByTestId('oom-note');
  }

  /** Sets a new memory limit in the Resources tab (`strata update -m`). */
  async updateMemoryLimit(size: string): Promise<void> {
    const panel = await this.openTab('Resources');
    await panel.getByRole('textbox', { name: /^Memory limit/ }).fill(size);
    await panel.getByRole('button', { name: 'Update', exact: true }).click();
  }

  /** Commits the writable layer as `reference` (with a message, when given); the app then shows the new image. */
  async commit(reference: string, message?: string): Promise<ImagePage> {
    await expect(this.button('Commit'), 'Commit is refused').not.toHaveAttribute('aria-disabled', 'true');
    await this.button('Commit').click();
    const dialog = this.page.getByRole('dialog', { name: 'Commit the writable layer' });
    await dialog.getByRole('textbox', { name: /^Repository and tag\b/ }).fill(reference);
    if (message !== undefined) await dialog.getByRole('textbox', { name: /^Message\b/ }).fill(message);
    await dialog.getByRole('button', { name: 'Commit', exact: true }).click();
    const image = new ImagePage(this.app, reference);
    await image.waitUntilShown();
    return image;
  }

  /** Export: the writable layer and all below, as one flat tar; resolves to the saved file. */
  async export(): Promise<string> {
    return this.app.catchSave(() => this.press('Export'));
  }

  /**
   * Resolves with the time (ms since the epoch, this machine's clock) at which
   * the page first showed `state`; start it before making the change.
   */
  async whenStateShows(state: ContainerState): Promise<() => Promise<number>> {
    // Kept on the window: evaluate() would wait for the promise itself.
    await this.page.evaluate((want) => {
      (window as unknown as { strataStateShown?: Promise<number> }).strataStateShown = new Promise<number>((resolve) => {
        const shows = () => document.querySelector('[data-testid="container-state"]')?.textContent?.trim() === want;
        const observer = new MutationObserver(() => {
          if (shows()) {
            observer.disconnect();
            resolve(Date.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    }, state);
    return () => this.page.evaluate(() => (window as unknown as { strataStateShown: Promise<number> }).strataStateShown);
  }
}
