// The completion scripts, run by the shells themselves: bash's completion
// function (with COMP_LINE and friends set as readline sets them, its
// answers filtered as compgen filters them), zsh's and fish's scripts
// parsed by those shells when they are installed. Names come from a real store.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const strataBin = path.resolve(__dirname, '../../../bin/strata');
let dir: string;
let env: NodeJS.ProcessEnv;

function strata(...args: string[]): string {
  const r = spawnSync(strataBin, args, { env, encoding: 'utf8' });
  expect(r.status, `strata ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-completion-'));
  // The scripts run `strata` from PATH, as an installed one would.
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.symlinkSync(strataBin, path.join(dir, 'bin', 'strata'));
  env = { ...process.env, STRATA_ROOT: path.join(dir, 'root'), PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
  strata('bootstrap');
  strata('tag', 'starter', 'web:v1');
  strata('create', '--network', 'none', '--name', 'stopped-one', 'starter', 'true');
  strata('run', '-d', '--network', 'none', '--name', 'running-one', 'starter', 'sleep', '300');
  fs.writeFileSync(path.join(dir, 'vars.env'), 'A=1\n');
}, 60_000);

afterAll(() => {
  spawnSync(strataBin, ['rm', '-f', 'stopped-one', 'running-one'], { env });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What bash offers on TAB after `line`: the script's function, then compgen's filtering, as readline runs it. */
function bashComplete(line: string): string[] {
  const script = `
source <(strata completion bash)
COMP_LINE=${JSON.stringify(line)}
COMP_POINT=\${#COMP_LINE}
# readline breaks words at COMP_WORDBREAKS' ':' and '=' too, each one a word of its own.
words=\${COMP_LINE//:/ : }
read -ra COMP_WORDS <<<"\${words//=/ = }"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
complete -p strata >/dev/null || exit 9
_strata
compgen -W "\${COMPREPLY[*]}" -- "\${COMP_WORDS[COMP_CWORD]}"
`;
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  it('completes commands, groups and their subcommands', () => {
    expect(bashComplete('strata ru')).toEqual(['run']);
    expect(bashComplete('strata ')).toEqual(expect.arrayContaining(['attach', 'container', 'image', 'ps', 'system', 'completion']));
    expect(bashComplete('strata container l')).toEqual(expect.arrayContaining(['logs', 'ls']));
    expect(bashComplete('strata system p')).toEqual(['prune']);
  });

  it("completes a command's flags", () => {
    expect(bashComplete('strata ps --fi')).toEqual(['--filter']);
    expect(bashComplete('strata run --log-d')).toEqual(['--log-driver']);
    expect(bashComplete('strata run --log-driver ')).toEqual(['json-file', 'local', 'none']);
  });

  it('completes container names by what the command takes', () => {
    expect(bashComplete('strata exec ')).toEqual(['running-one']);
    expect(bashComplete('strata start ')).toEqual(['stopped-one']);
    expect(bashComplete('strata rm ').sort()).toEqual(['running-one', 'stopped-one']);
    expect(bashComplete('strata rm -f stopped-one ')).toEqual(expect.arrayContaining(['running-one']));
  });

  it('completes image names, colon and all', () => {
    expect(bashComplete('strata run ').sort()).toEqual(['starter:latest', 'web:v1']);
    expect(bashComplete('strata run -it --rm we')).toEqual(['web:v1']);
    // bash breaks the word at ':': only what follows it is offered, and the line ends up whole.
    expect(bashComplete('strata rmi starter:l')).toEqual(['latest']);
    expect(bashComplete('strata run --log-driver=lo')).toEqual(['local']);
  });

  it('offers nothing after the image of run (the command is the container\'s), and files where a path goes', () => {
    expect(bashComplete('strata run starter ')).toEqual(expect.not.arrayContaining(['web:v1']));
    expect(bashComplete('strata run --env-file va')).toEqual(['vars.env']);
  });
});

describe('zsh and fish', () => {
  it.each([
    ['zsh', ['-n']],
    ['fish', ['--no-execute']],
  ])('%s reads its script', (shell, check) => {
    const file = path.join(dir, `completion.${shell}`);
    fs.writeFileSync(file, strata('completion', shell));
    const r = spawnSync(shell, [...check, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('answers zsh and fish as bash: candidates with their descriptions', () => {
    expect(strata('__complete', 'strata ps --fi')).toBe('--filter\tFilter output based on conditions provided\n:none\n');
  });
});
