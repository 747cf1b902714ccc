// `strata login [SERVER]` and `strata logout [SERVER]`: docker's prompts,
// flags and lines. The password comes from -p (with docker's warning),
// --password-stdin, or a prompt that does not echo it.

import type { CommandModule } from '../command';
import type { Cli } from '../session';
import { OptionError } from '../session';

async function readStdin(cli: Cli): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of cli.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '').replace(/\r$/, '');
}

/** Asks on the terminal; `secret` turns echo off. */
function prompt(cli: Cli, question: string, secret: boolean): Promise<string> {
  const stdin = cli.stdin;
  if (!stdin.isTTY) throw new Error('Cannot perform an interactive login from a non TTY device');
  cli.out(question);
  return new Promise((resolve) => {
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          cli.out('\n');
          return resolve(answer);
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') answer = answer.slice(0, -1);
        else {
          answer += ch;
          if (!secret) cli.out(ch);
        }
      }
    };
    stdin.on('data', onData);
  });
}

export const login: CommandModule = {
  flags: [
    { name: 'password', short: 'p', type: 'string', help: 'Password' },
    { name: 'password-stdin', type: 'bool', help: 'Take the password from stdin' },
    { name: 'username', short: 'u', type: 'string', help: 'Username' },
  ],
  args: { max: 1 },
  async run(cli, flags, args) {
    let password = flags.string('password');
    if (password !== undefined) cli.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    if (flags.bool('password-stdin')) {
      if (password !== undefined) throw new OptionError('--password and --password-stdin are mutually exclusive');
      if (!flags.has('username')) throw new OptionError('Must provide --username with --password-stdin');
      password = await readStdin(cli);
    }
    let username = flags.string('username');
    if (username === undefined) username = (await prompt(cli, 'Username: ', false)).trim();
    if (username === '') throw new Error('Username is required');
    if (password === undefined) password = await prompt(cli, 'Password: ', true);
    if (password === '') throw new Error('Password is required');
    const result = await cli.client.call('registry.login', { username, password, ...(args[0] !== undefined ? { server: args[0] } : {}) });
    if (result.plainTextFile) {
      cli.err(
        `WARNING! Your credentials are stored unencrypted in '${result.plainTextFile}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`,
      );
    }
    cli.out(`${result.status}\n`);
    return 0;
  },
};

export const logout: CommandModule = {
  flags: [],
  args: { max: 1 },
  async run(cli, _flags, args) {
    const { server, removed } = await cli.client.call('registry.logout', args[0] !== undefined ? { server: args[0] } : {});
    cli.out(removed ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
    return 0;
  },
};
