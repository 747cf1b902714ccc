// Renders a component to HTML with the app's providers around it and a fake
// engine, so component tests need no browser: what matters (accessible names,
// disabled states, test hooks) is all in the markup.

import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ActionsProvider } from '../data/actions';
import { EngineProvider, type AppClient } from '../data/EngineContext';

export const fakeClient: AppClient = {
  call: () => new Promise(() => {}),
  open: () => ({ send() {}, close() {} }),
};

export function renderHtml(node: ReactNode, client: AppClient = fakeClient): string {
  return renderToStaticMarkup(
    <EngineProvider client={client}>
      <ActionsProvider>{node}</ActionsProvider>
    </EngineProvider>,
  );
}

/** The buttons of some markup: their text (the accessible name here) and whether they are disabled. */
export function buttons(html: string): Array<{ name: string; disabled: boolean; describedBy: boolean }> {
  const out: Array<{ name: string; disabled: boolean; describedBy: boolean }> = [];
  for (const m of html.matchAll(/<button([^>]*)>(.*?)<\/button>/gs)) {
    const attrs = m[1];
    const name = m[2]
      .replace(/<span[^>]*aria-hidden="true"[^>]*>.*?<\/span>/gs, '')
      .replace(/<[^>]+>/g, '')
      .trim();
    out.push({ name, disabled: /aria-disabled="true"/.test(attrs), describedBy: /aria-describedby=/.test(attrs) });
  }
  return out;
}
