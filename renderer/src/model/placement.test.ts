import { describe, expect, it } from 'vitest';
import { placeBeside } from './placement';

const view = { width: 1280, height: 720 };
const tip = { width: 300, height: 40 };

describe('placeBeside', () => {
  it('centres a tooltip above its anchor when there is room', () => {
    expect(placeBeside({ left: 500, top: 300, width: 100, height: 40 }, tip, view)).toEqual({ left: 400, top: 254, side: 'above' });
  });
  it('keeps it inside the window at the left and right edges', () => {
    expect(placeBeside({ left: 0, top: 300, width: 60, height: 40 }, tip, view).left).toBe(8);
    expect(placeBeside({ left: 1250, top: 300, width: 30, height: 40 }, tip, view).left).toBe(1280 - 300 - 8);
  });
  it('goes below an anchor at the top of the window, and above one at the bottom when asked below', () => {
    expect(placeBeside({ left: 500, top: 10, width: 100, height: 40 }, tip, view)).toMatchObject({ side: 'below', top: 56 });
    expect(placeBeside({ left: 500, top: 690, width: 100, height: 28 }, { width: 200, height: 300 }, view, { prefer: 'below' })).toMatchObject({ side: 'above', top: 384 });
  });
  it('aligns a menu with its button’s right edge', () => {
    expect(placeBeside({ left: 900, top: 100, width: 40, height: 30 }, { width: 240, height: 200 }, view, { prefer: 'below', align: 'end' })).toEqual({ left: 700, top: 136, side: 'below' });
  });
});
