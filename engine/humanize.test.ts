import { describe, expect, it } from 'vitest';
import { bytesSize, formatG, humanDuration, humanSize, humanSizeWithPrecision, parseRamBytes } from './humanize';

// The tables are go-units' own tests (duration_test.go, size_test.go).
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const week = 7 * day;
const month = 30 * day;
const year = 365 * day;

describe('humanDuration (go-units HumanDuration)', () => {
  it.each([
    [450, 'Less than a second'],
    [1 * second, '1 second'],
    [45 * second, '45 seconds'],
    [46 * second, '46 seconds'],
    [59 * second, '59 seconds'],
    [60 * second, 'About a minute'],
    [1 * minute, 'About a minute'],
    [3 * minute, '3 minutes'],
    [35 * minute, '35 minutes'],
    [35 * minute + 40 * second, '35 minutes'],
    [45 * minute, '45 minutes'],
    [45 * minute + 40 * second, '45 minutes'],
    [46 * minute, '46 minutes'],
    [59 * minute, '59 minutes'],
    [1 * hour, 'About an hour'],
    [1 * hour + 29 * minute, 'About an hour'],
    [1 * hour + 31 * minute, '2 hours'],
    [1 * hour + 59 * minute, '2 hours'],
    [3 * hour, '3 hours'],
    [3 * hour + 29 * minute, '3 hours'],
    [3 * hour + 31 * minute, '4 hours'],
    [3 * hour + 59 * minute, '4 hours'],
    [3 * hour + 60 * minute, '4 hours'],
    [24 * hour, '24 hours'],
    [1 * day + 12 * hour, '36 hours'],
    [2 * day, '2 days'],
    [7 * day, '7 days'],
    [13 * day + 5 * hour, '13 days'],
    [2 * week, '2 weeks'],
    [2 * week + 4 * day, '2 weeks'],
    [3 * week, '3 weeks'],
    [4 * week, '4 weeks'],
    [4 * week + 3 * day, '4 weeks'],
    [1 * month, '4 weeks'],
    [1 * month + 2 * week, '6 weeks'],
    [2 * month, '2 months'],
    [2 * month + 2 * week, '2 months'],
    [3 * month, '3 months'],
    [3 * month + 1 * week, '3 months'],
    [5 * month + 2 * week, '5 months'],
    [13 * month, '13 months'],
    [23 * month, '23 months'],
    [24 * month, '24 months'],
    [24 * month + 2 * week, '2 years'],
    [3 * year + 2 * month, '3 years'],
  ])('%d ms → %s', (ms, words) => {
    expect(humanDuration(ms)).toBe(words);
  });

  it('says less than a second for a clock that went backwards', () => {
    expect(humanDuration(-5000)).toBe('Less than a second');
  });
});

describe('humanSize (go-units HumanSize, 4 digits)', () => {
  it.each([
    [1000, '1kB'],
    [1024, '1.024kB'],
    [1000000, '1MB'],
    [1048576, '1.049MB'],
    [2 * 1e6, '2MB'],
    [3.42 * 1e9, '3.42GB'],
    [5.372 * 1e12, '5.372TB'],
    [2.22 * 1e15, '2.22PB'],
    [10000000000000 * 1e15, '1e+04YB'],
    [0, '0B'],
    [999, '999B'],
  ])('%d → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});

describe('humanSizeWithPrecision (docker images SIZE uses 3)', () => {
  it.each([
    [1984170, 3, '1.98MB'],
    [1984170, 4, '1.984MB'],
    [5500, 3, '5.5kB'],
    [1234567, 3, '1.23MB'],
    [0, 3, '0B'],
    // Go rounds an exact tie to even: 1.125 → 1.12, 1.375 → 1.38.
    [1125, 3, '1.12kB'],
    [1375, 3, '1.38kB'],
    // 999.5 kB rounds up past three digits, and Go then prints an exponent.
    [999500, 3, '1e+03kB'],
  ])('%d at %d → %s', (bytes, precision, text) => {
    expect(humanSizeWithPrecision(bytes, precision)).toBe(text);
  });
});

describe('bytesSize (go-units BytesSize)', () => {
  const KiB = 1024;
  const PiB = KiB ** 5;
  it.each([
    [1024, '1KiB'],
    [1024 * 1024, '1MiB'],
    [2 * KiB * KiB, '2MiB'],
    [3.42 * KiB ** 3, '3.42GiB'],
    [5.372 * KiB ** 4, '5.372TiB'],
    [2.22 * PiB, '2.22PiB'],
    [KiB ** 5 * PiB, '1.049e+06YiB'],
  ])('%d → %s', (bytes, text) => {
    expect(bytesSize(bytes)).toBe(text);
  });
});

describe('formatG (Go %.Ng)', () => {
  it.each([
    [0.0001234, 3, '0.000123'],
    [0.00001234, 3, '1.23e-05'],
    [123, 3, '123'],
    [1234, 3, '1.23e+03'],
    [100, 3, '100'],
    [-2.5, 4, '-2.5'],
  ])('%d %d → %s', (value, precision, text) => {
    expect(formatG(value, precision)).toBe(text);
  });
});

describe('sizes (go-units RAMInBytes)', () => {
  it.each([
    ['100', 100],
    ['100b', 100],
    ['64k', 65536],
    ['512m', 512 * 1024 ** 2],
    ['512MiB', 512 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2 GB', 2 * 1024 ** 3],
    ['1t', 1024 ** 4],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseRamBytes(text)).toBe(bytes);
  });

  it.each(['', 'abc', '-1', '1x', 'm', '1.2.3'])('refuses %j', (text) => {
    expect(() => parseRamBytes(text)).toThrow();
  });
});
