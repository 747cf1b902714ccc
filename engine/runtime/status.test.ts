import { describe, expect, it } from 'vitest';
import type { ContainerRow } from '../store/containers';
import { commandOf, statusText } from './status';

const row = (over: Partial<ContainerRow> & { cmd?: string[]; entrypoint?: string[] | null }): ContainerRow =>
  ({
    state: 'created',
    exitCode: 0,
    startedAt: 0,
    finishedAt: 0,
    spec: { Config: { Cmd: over.cmd ?? null, Entrypoint: over.entrypoint ?? null }, HostConfig: {} },
    ...over,
  }) as unknown as ContainerRow;

describe('what ps shows', () => {
  it('quotes arguments with spaces as moby does, the path never', () => {
    expect(commandOf(row({ cmd: ['sh', '-c', 'cat; echo done'] }))).toBe("sh -c 'cat; echo done'");
    expect(commandOf(row({ entrypoint: ['/entry point.sh'], cmd: ['a b', 'c'] }))).toBe("/entry point.sh 'a b' c");
    expect(commandOf(row({ cmd: ['sleep', '1000'] }))).toBe('sleep 1000');
  });

  it("uses Docker's status words", () => {
    const now = 1_000_000 * 1e9;
    expect(statusText(row({ state: 'created' }), now)).toBe('Created');
    expect(statusText(row({ state: 'running', startedAt: now - 3e9 }), now)).toBe('Up 3 seconds');
    expect(statusText(row({ state: 'paused', startedAt: now - 3e9 }), now)).toBe('Up 3 seconds (Paused)');
    expect(statusText(row({ state: 'exited', exitCode: 137, finishedAt: now - 120e9 }), now)).toBe('Exited (137) 2 minutes ago');
  });
});
