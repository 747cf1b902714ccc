// --restart and --health-* as the docker CLI reads them: the options they
// become, and the CLI's own refusals (before the engine sees anything).

import { describe, expect, it } from 'vitest';
import { parseFlags } from '../flags';
import { policyFlags, policyOptions } from './containerPolicy';

const parse = (...argv: string[]) => policyOptions(parseFlags([...policyFlags, { name: 'rm', type: 'bool', help: '' }], argv).flags);

describe('--restart', () => {
  it('splits NAME[:MAX] as the docker CLI does', () => {
    expect(parse('--restart', 'on-failure:3')).toEqual({ restartPolicy: { name: 'on-failure', maximumRetryCount: 3 } });
    expect(parse('--restart=always')).toEqual({ restartPolicy: { name: 'always' } });
    expect(parse()).toEqual({});
  });

  it.each([
    [['--restart', 'on-failure:x'], 'invalid restart policy format: maximum retry count must be an integer'],
    [['--restart', 'on-failure:1:2'], 'invalid restart policy format: maximum retry count must be an integer'],
    [['--restart', 'always', '--rm'], 'conflicting options: cannot specify both --restart and --rm'],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});

describe('--health-*', () => {
  it('makes a CMD-SHELL check with durations in nanoseconds', () => {
    expect(parse('--health-cmd', 'curl -f localhost', '--health-interval', '1m30s', '--health-timeout=250ms', '--health-retries', '5', '--health-start-period', '2s')).toEqual({
      healthcheck: { test: ['CMD-SHELL', 'curl -f localhost'], interval: 90e9, timeout: 250e6, startPeriod: 2e9, retries: 5 },
    });
    // A duration alone keeps the image's command.
    expect(parse('--health-interval', '5s')).toEqual({ healthcheck: { interval: 5e9, timeout: 0, startPeriod: 0, retries: 0 } });
    expect(parse('--no-healthcheck')).toEqual({ healthcheck: { test: ['NONE'] } });
  });

  it.each([
    [['--no-healthcheck', '--health-cmd', 'true'], '--no-healthcheck conflicts with --health-* options'],
    [['--health-retries', '-1'], '--health-retries cannot be negative'],
    [['--health-timeout', '-1s'], '--health-timeout cannot be negative'],
    [['--health-interval', '-2s'], '--health-interval cannot be negative'],
    [['--health-start-period', '-1ms'], '--health-start-period cannot be negative'],
    [['--health-interval', '1xs'], 'invalid argument "1xs" for "--health-interval" flag: time: invalid duration "1xs"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});
