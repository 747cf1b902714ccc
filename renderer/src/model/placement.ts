// Where a floating box (a tooltip, a menu) goes next to the element it
// belongs to, so that it stays whole inside the window: on the preferred
// side when there is room there, else on the other; shifted sideways so no
// edge cuts it.

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Placement {
  left: number;
  top: number;
  side: 'above' | 'below';
}

const margin = 8; // from the window's edges
const gap = 6; // from the anchor

export function placeBeside(
  anchor: Box,
  box: { width: number; height: number },
  view: { width: number; height: number },
  options: { prefer?: 'above' | 'below'; align?: 'center' | 'end' } = {},
): Placement {
  const { prefer = 'above', align = 'center' } = options;
  const wanted = align === 'end' ? anchor.left + anchor.width - box.width : anchor.left + anchor.width / 2 - box.width / 2;
  const left = Math.max(margin, Math.min(wanted, view.width - box.width - margin));
  const above = anchor.top - gap - box.height;
  const below = anchor.top + anchor.height + gap;
  const fitsAbove = above >= margin;
  const fitsBelow = below + box.height <= view.height - margin;
  const side = prefer === 'above' ? (fitsAbove || !fitsBelow ? 'above' : 'below') : fitsBelow || !fitsAbove ? 'below' : 'above';
  // Neither side has room (a tiny window): as close to the anchor as the window allows.
  const top = side === 'above' ? Math.max(margin, above) : Math.min(below, Math.max(margin, view.height - box.height - margin));
  return { left, top, side };
}
