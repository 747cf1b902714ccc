import { describe, expect, it } from 'vitest';
import { moveActive, nextWindow, scrollToReveal, visibleRange } from './windowing';

describe('windowing', () => {
  it('mounts only the rows on screen plus the overscan', () => {
    const r = visibleRange(10_000, 600, 30, 20_000, 5);
    expect(r.total).toBe(600_000);
    expect(r.start).toBe(333 - 5);
    expect(r.end).toBe(354 + 5);
    expect(r.offset).toBe(r.start * 30);
    expect(r.end - r.start).toBeLessThan(40);
  });

  it('clamps at both ends', () => {
    expect(visibleRange(-50, 600, 30, 10, 5)).toEqual({ start: 0, end: 10, offset: 0, total: 300 });
    const end = visibleRange(1e9, 600, 30, 1000, 2);
    expect(end.end).toBe(1000);
    expect(end.start).toBe(1000 - 20 - 2);
    expect(visibleRange(0, 600, 30, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });

  it('scrolls as little as needed to reveal a row', () => {
    expect(scrollToReveal(5, 0, 300, 30)).toBe(0);
    expect(scrollToReveal(10, 0, 300, 30)).toBe(30);
    expect(scrollToReveal(2, 300, 300, 30)).toBe(60);
  });

  it('moves the active row with the keyboard', () => {
    expect(moveActive('ArrowDown', 0, 3, 10)).toBe(1);
    expect(moveActive('ArrowDown', 2, 3, 10)).toBe(2);
    expect(moveActive('PageDown', 0, 100, 10)).toBe(9);
    expect(moveActive('End', 0, 100, 10)).toBe(99);
    expect(moveActive('a', 0, 100, 10)).toBeUndefined();
  });

  it('keeps the drawn rows while they cover the view, so a pixel of drift cannot flip the window back and forth', () => {
    // 300 rows of 48 px, 800 px in view: rows 100 … 117 are on screen at 4800 px.
    const drawn = { start: 90, end: 128 };
    expect(nextWindow(drawn, 4800, 800, 48, 300, 10)).toBe(drawn);
    expect(nextWindow(drawn, 4801, 800, 48, 300, 10)).toBe(drawn);
    expect(nextWindow(drawn, 4799, 800, 48, 300, 10)).toBe(drawn);
  });

  it('moves the window, overscan included, once a row in view is not drawn', () => {
    const moved = nextWindow({ start: 90, end: 128 }, 5800, 800, 48, 300, 10);
    expect(moved).toEqual({ start: 120 - 10, end: 138 + 10 });
    expect(nextWindow({ start: 0, end: 40 }, 1e9, 800, 48, 300, 10)).toEqual({ start: 300 - 17 - 10, end: 300 });
  });

  it('follows a list that shrank below the drawn rows', () => {
    expect(nextWindow({ start: 250, end: 290 }, 0, 800, 48, 5, 10)).toEqual({ start: 0, end: 5 });
    const drawn = { start: 0, end: 40 };
    expect(nextWindow(drawn, 0, 800, 48, 5, 10)).toBe(drawn);
  });
});
