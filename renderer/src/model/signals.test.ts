import { describe, expect, it } from 'vitest';
import { exitMeaning, signalMeaning, signalName, signalNumber } from './signals';

describe('signals and exit codes', () => {
  it('explains the exit codes of stop and kill', () => {
    expect(exitMeaning(137)).toBe('137 = 128 + 9: ended by SIGKILL');
    expect(exitMeaning(143)).toBe('143 = 128 + 15: ended by SIGTERM');
    expect(exitMeaning(130)).toBe('130 = 128 + 2: ended by SIGINT');
    expect(exitMeaning(0)).toMatch(/^0: /);
    expect(exitMeaning(3)).toMatch(/own exit status/);
    expect(exitMeaning(127)).toMatch(/not found/);
  });
  it('names signals as they are typed', () => {
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName('15')).toBe('SIGTERM');
    expect(signalName('term')).toBe('SIGTERM');
    expect(signalName(40)).toBe('SIGRTMIN+6');
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('kill')).toBe(9);
    expect(signalNumber('nope')).toBeUndefined();
    expect(signalMeaning(9)).toMatch(/cannot be caught/);
  });
});
