// The app's single-key shortcuts (the tour's arrows, P, L, K) never take a
// key meant for a field or the terminal.

/** Whether a key pressed on `target` is typing: into a field, an editable element or xterm. */
export const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('.xterm'));
