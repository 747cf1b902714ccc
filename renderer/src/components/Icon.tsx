// Small drawn icons for the buttons, so they look the same on every machine
// (font glyphs for trash cans and arrows are not everywhere). Always beside
// a word: they are decoration, hidden from screen readers.

export type IconName =
  | 'create'
  | 'start'
  | 'stop'
  | 'kill'
  | 'pause'
  | 'restart'
  | 'commit'
  | 'export'
  | 'remove'
  | 'tag'
  | 'history'
  | 'save';

const paths: Record<IconName, string> = {
  create: 'M8 3v10M3 8h10',
  start: 'M5 3.2v9.6L12.6 8z',
  stop: 'M4 4h8v8H4z',
  kill: 'M4 4l8 8M12 4l-8 8',
  pause: 'M5 3.5v9M11 3.5v9',
  restart: 'M12.5 6.5A5 5 0 1 0 13 9.5M12.8 2.8v3.9H8.9',
  // A layer dropping onto the stack: the writable layer becomes read-only.
  commit: 'M8 2v6.5M5.2 5.8L8 8.6l2.8-2.8M2.5 11h11M2.5 13.8h11',
  export: 'M8 9.5V2M5.2 4.8L8 2l2.8 2.8M3 8.5v5h10v-5',
  remove: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9M7 7v4.5M9 7v4.5',
  tag: 'M2.5 2.5h5.2l6 6-5.2 5.2-6-6zM5.3 5.3h.01',
  history: 'M3 4h10M3 8h10M3 12h10',
  save: 'M8 2v7.5M5.2 6.7L8 9.5l2.8-2.8M3 11v2.5h10V11',
};

const filled: ReadonlySet<IconName> = new Set(['start', 'stop']);

export function Icon({ name }: { name: IconName }) {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" className={`icon icon-${name} ${filled.has(name) ? 'icon-filled' : ''}`}>
      <path d={paths[name]} />
    </svg>
  );
}
