// The accessibility check every main view passes: axe-core's WCAG 2.1 A and
// AA rules (contrast 4.5:1 for text among them) find nothing serious or
// critical. The full report is attached to the test either way.

import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

export async function expectAccessible(page: Page, testInfo: TestInfo, view: string): Promise<void> {
  // Tooltips and transitions settle first: a half-faded colour is not what a person reads.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  await testInfo.attach(`axe-${view}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join(' | ')}`);
  expect(serious, `${view}: axe found serious or critical violations`).toEqual([]);
}
