// The docker CLI's value syntax for CPU counts and ulimits.

import { describe, expect, it } from 'vitest';
import { ulimitNames } from '../runtime/ulimits';
import { parseNanoCpus } from './flagValues';
import { parseUlimit } from './units';

describe('CPUs (opts.ParseCPUs)', () => {
  it.each([
    ['1', 1e9],
    ['1.5', 1.5e9],
    ['0.01', 1e7],
    ['.5', 5e8],
    ['3/2', 1.5e9],
    ['0.000000001', 1],
  ])('%s is %d nano-CPUs', (text, nano) => {
    expect(parseNanoCpus(text)).toBe(nano);
  });

  it('refuses what a nano-CPU cannot hold, and what is not a number', () => {
    expect(() => parseNanoCpus('0.0000000001')).toThrow('value is too precise');
    expect(() => parseNanoCpus('1/3')).toThrow('value is too precise');
    expect(() => parseNanoCpus('one')).toThrow('failed to parse one as a rational number');
  });
});

describe('ulimits (go-units ParseUlimit)', () => {
  it('takes soft[:hard], hard defaulting to soft, -1 unlimited', () => {
    expect(parseUlimit('nofile=1024:2048', ulimitNames)).toEqual({ name: 'nofile', soft: 1024, hard: 2048 });
    expect(parseUlimit('nproc=100', ulimitNames)).toEqual({ name: 'nproc', soft: 100, hard: 100 });
    expect(parseUlimit('core=-1', ulimitNames)).toEqual({ name: 'core', soft: -1, hard: -1 });
  });

  it.each([
    ['nofile', 'invalid ulimit argument: nofile'],
    ['cpus=1', 'invalid ulimit type: cpus'],
    ['nofile=1:2:3', 'too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`'],
    ['nofile=a', 'strconv.ParseInt: parsing "a": invalid syntax'],
    ['nofile=3:2', 'ulimit soft limit must be less than or equal to hard limit: 3 > 2'],
  ])('refuses %s', (text, message) => {
    expect(() => parseUlimit(text, ulimitNames)).toThrow(message);
  });
});
