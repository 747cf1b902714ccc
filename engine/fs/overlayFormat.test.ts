import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lgetxattr } from '../native';
import { isOpaqueDir, isOverlayXattr, isWhiteout, makeWhiteout, markOpaque, opaqueXattr } from './overlayFormat';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-format-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('overlayFormat', () => {
  it('makes whiteouts as overlayfs does: character devices 0/0', () => {
    makeWhiteout(path.join(tmp, 'gone'));
    const stats = fs.lstatSync(path.join(tmp, 'gone'));
    expect([stats.isCharacterDevice(), stats.rdev, stats.mode & 0o7777]).toEqual([true, 0, 0]);
    expect(isWhiteout(stats)).toBe(true);
    expect(isWhiteout(fs.lstatSync('/dev/null'))).toBe(false);
    expect(isWhiteout(fs.lstatSync(tmp))).toBe(false);
  });

  it('marks opaque directories with trusted.overlay.opaque=y', () => {
    expect(opaqueXattr).toBe('trusted.overlay.opaque');
    expect(isOpaqueDir(tmp)).toBe(false);
    markOpaque(tmp);
    expect(lgetxattr(tmp, 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(isOpaqueDir(tmp)).toBe(true);
  });

  it("tells overlay's own attributes, in both namespaces, from others", () => {
    expect(isOverlayXattr('trusted.overlay.redirect')).toBe(true);
    expect(isOverlayXattr('user.overlay.opaque')).toBe(true);
    expect(isOverlayXattr('security.capability')).toBe(false);
    expect(isOverlayXattr('user.overlayish')).toBe(false);
  });
});
