import { describe, expect, it } from 'vitest';
import { isReference } from './reference';

describe('isReference', () => {
  it('takes the names the engine tags with', () => {
    for (const ok of ['myapp', 'myapp:v2', 'team/app:1.0', 'localhost:5000/x/y:z', 'a__b', 'a-b.c']) expect(isReference(ok), ok).toBe(true);
  });
  it('refuses upper case, empty parts and bad tags', () => {
    for (const bad of ['MyApp', 'app:', ':v1', 'a//b', 'app:-v', 'app name']) expect(isReference(bad), bad).toBe(false);
  });
});
