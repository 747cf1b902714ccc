import { describe, expect, it } from 'vitest';
import type { CommandEntry } from './command';
import { FlagError, parseFlags, type FlagSpec } from './flags';
import { argCountError, commandHelp, flagErrorText, flagUsages } from './help';

const runFlags: FlagSpec[] = [
  { name: 'detach', short: 'd', type: 'bool', help: 'Run container in background and print container ID' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container when it exits' },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'env', short: 'e', type: 'list', help: 'Set environment variables' },
  { name: 'hostname', short: 'h', type: 'string', help: 'Container host name' },
  { name: 'stop-timeout', type: 'int', help: 'Timeout (in seconds) to stop a container' },
];

const parseRun = (...argv: string[]) => parseFlags(runFlags, argv, false);

describe('parseFlags', () => {
  it('combines short booleans and stops at the image for run', () => {
    const { flags, args } = parseRun('-it', '--rm', 'busybox', 'sh', '-c', 'echo hi', '--rm');
    expect(flags.bool('interactive')).toBe(true);
    expect(flags.bool('tty')).toBe(true);
    expect(flags.bool('rm')).toBe(true);
    expect(flags.bool('detach')).toBe(false);
    expect(args).toEqual(['busybox', 'sh', '-c', 'echo hi', '--rm']);
  });

  it('takes --name=x and --name x, and repeated -e in every spelling', () => {
    const { flags, args } = parseRun('--name=web', '-e', 'A=1', '-eB=2', '-e=C=3', '--env', 'D=4', '--env=E=5=6', 'img');
    expect(flags.string('name')).toBe('web');
    expect(flags.list('env')).toEqual(['A=1', 'B=2', 'C=3', 'D=4', 'E=5=6']);
    expect(args).toEqual(['img']);
    expect(parseRun('--name', 'web', 'img').flags.string('name')).toBe('web');
  });

  it('reads --rm=false and -d=false as false, and marks the flag as given', () => {
    const { flags } = parseRun('--rm=false', '-d=false', 'img');
    expect(flags.bool('rm')).toBe(false);
    expect(flags.bool('detach')).toBe(false);
    expect(flags.has('rm')).toBe(true);
    expect(flags.has('tty')).toBe(false);
  });

  it('lets a value-taking short flag end a combination and take the next word', () => {
    const { flags, args } = parseRun('-dih', 'myhost', 'img');
    expect(flags.bool('detach')).toBe(true);
    expect(flags.string('hostname')).toBe('myhost');
    expect(args).toEqual(['img']);
    expect(parseRun('-hmyhost', 'img').flags.string('hostname')).toBe('myhost');
  });

  it('treats -h as the hostname for run but as help where no flag owns it', () => {
    expect(parseRun('-h', 'box', 'img').help).toBe(false);
    expect(parseFlags([], ['-h']).help).toBe(true);
    expect(parseRun('--help').help).toBe(true);
  });

  it('ends flags at --', () => {
    const { flags, args } = parseFlags(runFlags, ['--rm', '--', '-d', 'x']);
    expect(flags.bool('rm')).toBe(true);
    expect(args).toEqual(['-d', 'x']);
  });

  it('accepts flags after positionals where the command allows it (rm foo -f)', () => {
    const { flags, args } = parseFlags([{ name: 'force', short: 'f', type: 'bool', help: '' }], ['foo', '-f', 'bar']);
    expect(flags.bool('force')).toBe(true);
    expect(args).toEqual(['foo', 'bar']);
  });

  it('keeps - as a positional (stdin)', () => {
    expect(parseFlags([], ['-', 'name:tag']).args).toEqual(['-', 'name:tag']);
  });

  it('parses ints and refuses what strconv.ParseInt refuses', () => {
    expect(parseRun('--stop-timeout', '30', 'img').flags.int('stop-timeout')).toBe(30);
    expect(() => parseRun('--stop-timeout', 'abc', 'img')).toThrow(
      'invalid argument "abc" for "--stop-timeout" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    );
  });

  it.each([
    [['--foo', 'img'], 'unknown flag: --foo'],
    [['--foo=1', 'img'], 'unknown flag: --foo'],
    [['-x', 'img'], "unknown shorthand flag: 'x' in -x"],
    [['-itx', 'img'], "unknown shorthand flag: 'x' in -itx"],
    [['--name'], 'flag needs an argument: --name'],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['--rm=maybe', 'img'], 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseRun(...argv)).toThrow(FlagError);
    expect(() => parseRun(...argv)).toThrow(message);
  });

  it("reports a validator's refusal as pflag does", () => {
    const specs: FlagSpec[] = [
      {
        name: 'env',
        short: 'e',
        type: 'list',
        help: '',
        validate: (v) => {
          if (v.startsWith('=')) throw new Error(`invalid environment variable: ${v}`);
          return v;
        },
      },
    ];
    expect(() => parseFlags(specs, ['-e', '=x'])).toThrow('invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x');
  });

  it('accepts a hidden alias (--time for --timeout)', () => {
    const specs: FlagSpec[] = [{ name: 'timeout', short: 't', type: 'int', aliases: ['time'], help: '' }];
    expect(parseFlags(specs, ['--time', '3', 'c']).flags.int('timeout')).toBe(3);
  });
});

const run: CommandEntry = {
  name: 'run',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  summary: 'Run a command in a new container',
  load: () => Promise.reject(new Error('not loaded in this test')),
};
const rename: CommandEntry = { ...run, name: 'rename', usage: 'CONTAINER NEW_NAME', summary: 'Rename a container' };
const ps: CommandEntry = { ...run, name: 'ps', usage: '[OPTIONS]', summary: 'List containers' };

describe('usage texts', () => {
  it('words a missing argument as docker does', () => {
    expect(argCountError(run, { min: 1 }, 0)).toBe(
      '"strata run" requires at least 1 argument.\n' +
        "See 'strata run --help'.\n\n" +
        'Usage:  strata run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n' +
        'Run a command in a new container\n',
    );
    expect(argCountError(run, { min: 1 }, 3)).toBeUndefined();
  });

  it('words the other argument rules', () => {
    expect(argCountError(rename, { min: 2, max: 2 }, 1)).toMatch(/^"strata rename" requires exactly 2 arguments\.\n/);
    expect(argCountError(ps, { max: 0 }, 1)).toMatch(/^"strata ps" accepts no arguments\.\n/);
    expect(argCountError(ps, { max: 1 }, 2)).toMatch(/^"strata ps" accepts at most 1 argument\.\n/);
    expect(argCountError(ps, { min: 1, max: 2 }, 3)).toMatch(/^"strata ps" requires at least 1 and at most 2 arguments\.\n/);
  });

  it('points a flag error at the command help', () => {
    expect(flagErrorText(run, 'unknown flag: --foo')).toBe("unknown flag: --foo\nSee 'strata run --help'.\n");
  });

  it('aligns option help as pflag does, sorted by long name', () => {
    expect(
      flagUsages([
        { name: 'timeout', short: 't', type: 'int', help: 'Seconds to wait before killing the container' },
        { name: 'signal', short: 's', type: 'string', help: 'Signal to send to the container' },
        { name: 'rm', type: 'bool', help: 'Remove' },
        { name: 'tail', short: 'n', type: 'string', default: 'all', help: 'Number of lines' },
      ]),
    ).toBe(
      '      --rm              Remove\n' +
        '  -s, --signal string   Signal to send to the container\n' +
        '  -n, --tail string     Number of lines (default "all")\n' +
        '  -t, --timeout int     Seconds to wait before killing the container',
    );
  });

  it('prints a help page with usage, summary and options', () => {
    const text = commandHelp(rename, [{ name: 'force', short: 'f', type: 'bool', help: 'Force' }]);
    expect(text).toBe('\nUsage:  strata rename CONTAINER NEW_NAME\n\nRename a container\n\nOptions:\n  -f, --force   Force\n');
  });
});
