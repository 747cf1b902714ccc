// A web page on another local port must not reach the engine through the
// browser that has the app open. The app holds its token in memory only (no
// cookie, no storage, not in its address); the page of another site tries
// every way a browser gives it: requests that would carry a cookie (an
// <img>, a fetch), the old and new download addresses, a websocket from its
// own origin. Not one may run anything: the victim container's writable
// layer and the list of containers say so. (The browser host's own tests,
// engine/host/server.test.ts, cover the same without a browser.)

import { expect, test } from './support/fixtures';
import { strata } from './support/cli';
import { serveOtherSite } from './support/otherSite';

/** The other site's page: each attempt, then `window.report` of what the browser let it see. */
function attackerPage(host: string, victim: string): string {
  const script = `
    const host = ${JSON.stringify(host)};
    const exec = (tag) => encodeURIComponent(JSON.stringify({ id: ${JSON.stringify(victim)}, cmd: ['touch', '/pwned-' + tag] }));
    const create = encodeURIComponent(JSON.stringify({ image: 'starter', name: 'pwned-create', cmd: ['true'] }));
    const report = {};
    const image = (src) => new Promise((done) => { const i = new Image(); i.onload = () => done('loaded'); i.onerror = () => done('refused'); i.src = src; });
    const socket = (protocols) => new Promise((done) => {
      const ws = new WebSocket(host.replace('http', 'ws') + '/ws', protocols);
      ws.onopen = () => done('open');
      ws.onerror = () => done('refused');
    });
    (async () => {
      report.img = await image(host + '/download/container.exec?arg=' + exec('img') + '&filename=x');
      report.imgCreate = await image(host + '/download/container.create?arg=' + create);
      try {
        const r = await fetch(host + '/download/container.exec?arg=' + exec('fetch'), { mode: 'no-cors', credentials: 'include' });
        report.fetchNoCors = r.type;
      } catch { report.fetchNoCors = 'refused'; }
      try {
        const r = await fetch(host + '/', { credentials: 'include' });
        report.fetchRead = r.status;
      } catch { report.fetchRead = 'refused'; }
      report.websocket = await socket(undefined);
      report.websocketGuess = await socket(['strata', 'strata.token.guess']);
      report.cookie = document.cookie;
      window.report = report;
    })();`;
  return `<!doctype html><title>another local site</title><script>${script}</script>`;
}

test('a page on another local port can neither read the token nor make the engine do anything', async ({ app, page, context }) => {
  // The app is open and live, and holds its token nowhere a browser keeps things. The one thing
  // it keeps is its command history (so a reload keeps it), and that holds no token.
  const token = new URL(process.env.STRATA_E2E_URL!).hash.slice('#token='.length);
  expect(token.length).toBeGreaterThan(20);
  expect(page.url()).not.toMatch(/token/);
  expect(await context.cookies()).toEqual([]);
  const kept = await page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));
  expect(kept.session).toEqual({});
  expect(Object.keys(kept.local).filter((k) => k !== 'strata.commandHistory.v1')).toEqual([]);
  expect(JSON.stringify(kept)).not.toContain(token);

  const victim = await strata(['run', '-d', '--name', 'e2e-victim', 'starter', 'sleep', '600']);
  expect(victim.code, victim.stderr).toBe(0);
  const before = await strata(['ps', '-a', '-q']);
  const hostUrl = new URL(page.url()).origin;
  const site = await serveOtherSite(attackerPage(hostUrl, 'e2e-victim'));
  try {
    const attacker = await context.newPage();
    await attacker.goto(site.url);
    await attacker.waitForFunction(() => 'report' in window, undefined, { timeout: 20_000 });
    const report = await attacker.evaluate(() => (window as unknown as { report: Record<string, unknown> }).report);
    // A no-cors fetch shows nothing either way (an opaque answer, or a failure): what it ran is checked below.
    expect(report).toEqual({
      img: 'refused',
      imgCreate: 'refused',
      fetchNoCors: expect.any(String),
      fetchRead: 'refused',
      websocket: 'refused',
      websocketGuess: 'refused',
      cookie: '',
    });
    await attacker.close();
  } finally {
    await site.close();
  }

  // Nothing ran: no file in the victim's writable layer, no container made.
  const diff = await strata(['diff', 'e2e-victim']);
  expect(diff.code, diff.stderr).toBe(0);
  expect(diff.stdout).not.toMatch(/pwned/);
  expect((await strata(['ps', '-a', '-q'])).stdout).toBe(before.stdout);
  // And the app itself still works.
  await app.waitUntilLive();
  expect((await strata(['rm', '-f', 'e2e-victim'])).code).toBe(0);
});

test('a saved file’s address opens nothing a second time', async ({ app, page }) => {
  const downloaded = page.waitForEvent('download');
  const images = await app.images();
  await images.save('starter');
  const address = (await downloaded).url();
  expect(address).not.toMatch(/token|image\.save|refs/);
  const again = await page.request.get(address);
  expect(again.status()).toBe(404);
});
