// `strata build` in process: what it prints, in docker's words, and its exit codes.

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../rpc/client';
import { tempEngine, type TempEngine } from '../../testing/tempEngine';
import { main } from '../main';
import { Cli } from '../session';

let engine: TempEngine;
let contexts = 0;

beforeAll(async () => {
  engine = await tempEngine();
});

afterAll(async () => {
  await engine.dispose();
});

/** The CLI with the test's engine in place of the one it would open under $STRATA_ROOT. */
class TestCli extends Cli {
  override get client(): EngineClient {
    return engine.client;
  }
}

function output() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function strataBuild(dockerfile: string, ...args: string[]) {
  const dir = path.join(engine.root, `ctx-${contexts++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  const [out, err] = [output(), output()];
  const code = await main(['build', ...args, dir], new TestCli(out.stream, err.stream, process.stdin, {}));
  return { code, stdout: out.text(), stderr: err.text() };
}

const id12 = '[0-9a-f]{12}';

describe('strata build', () => {
  it('prints the classic builder\'s progress, then uses the cache', async () => {
    const dockerfile = 'FROM starter\nRUN echo hi\nENV A=1\n';
    const first = await strataBuild(dockerfile, '-t', 'cli:1');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        [
          'Step 1/3 : FROM starter',
          ` ---> ${id12}`,
          'Step 2/3 : RUN echo hi',
          ` ---> Running in ${id12}`,
          'hi',
          `Removing intermediate container ${id12}`,
          ` ---> ${id12}`,
          'Step 3/3 : ENV A=1',
          ` ---> Running in ${id12}`,
          `Removing intermediate container ${id12}`,
          ` ---> (${id12})`,
          `Successfully built (${id12})`,
          'Successfully tagged cli:1',
          '',
        ].join('\n') + '$',
      ),
    );
    const again = await strataBuild(dockerfile);
    expect(again.stdout).toMatch(new RegExp(`Step 2/3 : RUN echo hi\n ---> Using cache\n ---> ${id12}\n`));
    expect(again.stdout).not.toContain('Running in');
  });

  it('prints only the id with -q', async () => {
    const { code, stdout } = await strataBuild('FROM starter\nENV QUIET=1\n', '-q');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('exits with a failed RUN\'s code and says why, as docker does', async () => {
    const { code, stdout, stderr } = await strataBuild('FROM starter\nRUN echo out; exit 3\n');
    expect(code).toBe(3);
    expect(stdout).toContain('out\n');
    expect(stderr).toBe("The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3\n");
  });

  it('shows a quiet build\'s output when it fails', async () => {
    const { code, stdout, stderr } = await strataBuild('FROM starter\nRUN echo out; exit 4\n', '--quiet');
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toContain('Step 2/2 : RUN echo out; exit 4\n');
    expect(stderr).toContain('out\n');
  });

  it('reports a Dockerfile error with exit code 1', async () => {
    const { code, stderr } = await strataBuild('FROM starter\nFOO bar\n');
    expect(code).toBe(1);
    expect(stderr).toBe('Error: dockerfile parse error line 2: unknown instruction: FOO\n');
  });

  it('passes --build-arg, --label and --target', async () => {
    const { code, stdout } = await strataBuild('FROM starter AS one\nARG X\nRUN echo x=$X\nFROM one\nRUN false\n', '--build-arg', 'X=42', '--label', 'k=v', '--target', 'one');
    expect(code).toBe(0);
    expect(stdout).toContain('x=42\n');
    expect(stdout).toContain('Step 4/4 : LABEL k=v\n');
  });

  it('reads the Dockerfile from standard input with -f -, the context still being the directory', async () => {
    const dir = path.join(engine.root, `ctx-${contexts++}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM not-this-one\n');
    fs.writeFileSync(path.join(dir, 'msg'), 'from the context\n');
    const stdin = Readable.from([Buffer.from('FROM starter\nCOPY msg /msg\n')]) as unknown as NodeJS.ReadStream;
    const [out, err] = [output(), output()];
    const code = await main(['build', '-f', '-', dir], new TestCli(out.stream, err.stream, stdin, {}));
    expect(err.text()).toBe('');
    expect(code).toBe(0);
    expect(out.text()).toContain('Step 2/2 : COPY msg /msg\n');
  });

  it('refuses standard input for both the context and the Dockerfile', async () => {
    const [out, err] = [output(), output()];
    const code = await main(['build', '-f', '-', '-'], new TestCli(out.stream, err.stream, process.stdin, {}));
    expect(code).toBe(1);
    expect(err.text()).toBe("Error: invalid argument: can't use stdin for both build context and dockerfile\n");
  });
});
