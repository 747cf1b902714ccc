// Presentation mode and the drawing for slides: large type and high
// contrast at a key, with the sidebar and the kernel's steps whole at
// 1400×900 and on a 1280×720 projector; a laser that follows the pointer;
// and the layer stack exported as SVG (which Chromium reads back as a
// well-formed image with the layers' words) and as PNG (twice the
// drawing's size, for a projector).

import { expect, test } from './support/fixtures';
import { TeachingBar } from './pages/TeachingBar';

test('presentation mode, the laser, and the drawing as SVG and PNG', async ({ app }) => {
  const images = await app.images();
  const image = await images.open('starter');
  const teach = new TeachingBar(app);
  const page = app.page;
  const html = page.locator('html');

  await page.keyboard.press('p');
  await expect(html).toHaveClass(/presenting/);
  expect(await html.evaluate((e) => getComputedStyle(e).fontSize)).toBe('23px');
  // The large type fits the sidebar whole (the counts, the teacher's buttons, Laser among them),
  // on this screen and on a 1280×720 projector; the kernel's steps beside the drawing fit their rail.
  await expect(teach.button('Laser')).toBeVisible();
  expect(await app.clippedIn(app.sidebar)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 720 });
  expect(await app.clippedIn(app.sidebar)).toEqual([]);
  await page.keyboard.press('k');
  await expect(page.getByTestId('kernel-timeline')).toBeVisible();
  expect(await app.clippedIn(app.sidebar)).toEqual([]);
  expect(await app.clippedIn(app.rail)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(1280);
  // The view between them lays its panels out in the width left: nothing to scroll sideways to.
  expect(await page.locator('main').evaluate((m) => m.scrollWidth - m.clientWidth)).toBe(0);
  await app.screenshot('presenting-1280x720-with-kernel-steps');
  await page.keyboard.press('k');
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.keyboard.press('l');
  await expect(teach.laser).toBeVisible();
  await page.mouse.move(400, 300);
  await page.mouse.move(420, 310);
  const head = teach.laser.locator('.laser-head');
  await expect(head).toHaveCSS('transform', 'matrix(1, 0, 0, 1, 420, 310)');
  await app.screenshot('presenting-with-laser');

  await page.keyboard.press('k');
  await expect(page.getByTestId('kernel-timeline')).toBeVisible();
  await page.keyboard.press('k');
  await expect(page.getByTestId('kernel-timeline')).toHaveCount(0);

  const stack = page.locator('main .stack').first();
  const box = (await stack.boundingBox())!;
  const firstLayer = (await image.layers.first().locator('.slab-title').textContent())!.trim();

  const svg = await teach.export('SVG');
  expect(svg.name).toBe('strata-starter-latest.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('<foreignObject');
  expect(text).toContain(firstLayer);
  expect(text).not.toContain('<button');
  // Chromium reads it back as an image of the drawing's size.
  const read = await page.evaluate(async (source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
    await img.decode();
    return { wellFormed: doc.querySelector('parsererror') === null, width: img.naturalWidth, height: img.naturalHeight };
  }, text);
  expect(read).toEqual({ wellFormed: true, width: Math.ceil(box.width), height: Math.ceil(box.height) });

  const png = await teach.export('PNG');
  expect(png.name).toBe('strata-starter-latest.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([Math.ceil(box.width) * 2, Math.ceil(box.height) * 2]);

  await page.keyboard.press('p');
  await expect(html).not.toHaveClass(/presenting/);
  await expect(teach.laser).toHaveCount(0);
});
