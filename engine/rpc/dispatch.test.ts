import { describe, expect, it } from 'vitest';
import { dispatchRequest, type RequestHandlers } from './dispatch';
import { EngineError } from '../errors';

const handlers = {
  'container.stop': async (a: { id: string; timeout?: number }) => {
    seen.push(a);
  },
} as unknown as RequestHandlers;
const seen: unknown[] = [];

describe('dispatcher', () => {
  it('passes a checked argument to the handler', async () => {
    await dispatchRequest(handlers, 'container.stop', { id: 'abc', timeout: 3 });
    expect(seen.pop()).toEqual({ id: 'abc', timeout: 3 });
  });
  it('refuses unknown requests, missing, mistyped and unknown fields before the engine sees them', async () => {
    const kinds = async (name: string, arg: unknown) => {
      try {
        await dispatchRequest(handlers, name, arg);
        return 'ok';
      } catch (e) {
        return `${(e as EngineError).code}: ${(e as Error).message}`;
      }
    };
    expect(await kinds('container.explode', {})).toBe('InvalidArgument: unknown request: container.explode');
    expect(await kinds('container.stop', {})).toMatch(/^InvalidArgument: invalid argument id/);
    expect(await kinds('container.stop', { id: 'a', timeout: 'soon' })).toMatch(/^InvalidArgument: invalid argument timeout: expected an integer/);
    expect(await kinds('container.stop', { id: 'a', extra: 1 })).toBe('InvalidArgument: invalid argument extra: unknown field');
    expect(seen).toHaveLength(0);
  });
});
