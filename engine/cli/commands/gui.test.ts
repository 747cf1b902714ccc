import { describe, expect, it } from 'vitest';
import { appUrl } from './gui';

describe('strata gui --tour', () => {
  it('opens the app at its tour: a query the page keeps once it takes its token out of the fragment', () => {
    const url = 'http://127.0.0.1:41234/#token=abc_DEF-123';
    expect(appUrl(url, true)).toBe('http://127.0.0.1:41234/?tour#token=abc_DEF-123');
    expect(appUrl(url, false)).toBe(url);
  });
});
