import { describe, expect, it } from 'vitest';
import { commandLine, commands, imageName, shellWord, splitWords } from './commands';

const id = '3f2a9c1e0b7d' + 'a'.repeat(52);

describe('commands', () => {
  it('writes the commit line of the issue', () => {
    expect(commands.commit(id, { reference: 'myapp:v2' })).toBe('strata commit 3f2a9c1e0b7d myapp:v2');
  });

  it('quotes only what a shell would split or expand', () => {
    expect(shellWord('myapp:v2')).toBe('myapp:v2');
    expect(shellWord('hello world')).toBe("'hello world'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('$HOME')).toBe("'$HOME'");
    expect(commandLine(['sh', '-c', 'echo hi > /tmp/x'])).toBe("sh -c 'echo hi > /tmp/x'");
  });

  it('writes commit messages and authors as flags before the container', () => {
    expect(commands.commit(id, { message: 'add curl', author: 'Ana' })).toBe("strata commit -a Ana -m 'add curl' 3f2a9c1e0b7d");
  });

  it('writes create and run with their flags', () => {
    expect(commands.create({ image: 'starter', name: 'web', tty: true, openStdin: true, cmd: ['sh'] })).toBe(
      'strata create --name web -it starter sh',
    );
    expect(commands.run({ image: 'starter', detach: true, cmd: ['sleep', '300'], env: ['A=1 2'] })).toBe(
      "strata run -d -e 'A=1 2' starter sleep 300",
    );
    expect(commands.run({ image: 'starter', detach: true, memory: 24 << 20, pidsLimit: 64, cmd: ['sh'] })).toBe(
      'strata run -d -m 24m --pids-limit 64 starter sh',
    );
    expect(commands.create({ image: 'starter', memory: 1_000_000, memorySwap: -1 })).toBe('strata create -m 1000000 --memory-swap -1 starter');
  });

  it('writes stats and a memory update as typed', () => {
    expect(commands.stats(id)).toBe('strata stats 3f2a9c1e0b7d');
    expect(commands.updateMemory(id, '32m')).toBe('strata update -m 32m --memory-swap 32m 3f2a9c1e0b7d');
  });

  it('writes every option of the Run dialog as the flag the CLI takes', () => {
    expect(
      commands.run({
        image: 'starter',
        detach: true,
        name: 'web',
        autoRemove: true,
        tty: true,
        openStdin: true,
        env: ['MODE=dev'],
        workingDir: '/srv',
        user: 'nobody',
        hostname: 'box',
        binds: ['/tmp/data:/data:ro'],
        networkMode: 'host',
        entrypoint: ['/bin/sh'],
        labels: { team: 'red', solo: '' },
        stopSignal: 'SIGINT',
        stopTimeout: 3,
        cmd: ['-c', 'echo hi'],
      }),
    ).toBe(
      "strata run -d --name web --rm -it -e MODE=dev -w /srv -u nobody -h box -v /tmp/data:/data:ro --network host --entrypoint /bin/sh -l team=red -l solo --stop-signal SIGINT --stop-timeout 3 starter -c 'echo hi'",
    );
  });

  it('writes load, import and prune as the CLI takes them', () => {
    expect(commands.load('my image.tar')).toBe("strata load -i 'my image.tar'");
    expect(commands.import('rootfs.tar', { reference: 'mine:v1', message: 'from a tarball', changes: ['CMD ["sh"]'] })).toBe(
      `strata import -m 'from a tarball' -c 'CMD ["sh"]' rootfs.tar mine:v1`,
    );
    expect(commands.imagePrune(false)).toBe('strata image prune -f');
    expect(commands.imagePrune(true)).toBe('strata image prune -f -a');
  });

  it('writes lifecycle commands with the short id', () => {
    expect(commands.pause(id)).toBe('strata pause 3f2a9c1e0b7d');
    expect(commands.kill(id)).toBe('strata kill 3f2a9c1e0b7d');
    expect(commands.kill(id, 'TERM')).toBe('strata kill -s TERM 3f2a9c1e0b7d');
    expect(commands.rm(id, true)).toBe('strata rm -f 3f2a9c1e0b7d');
    expect(commands.ps(true)).toBe('strata ps -a');
    expect(commands.images(false)).toBe('strata images');
  });

  it('names an image by its first tag, else its short id', () => {
    expect(imageName('sha256:' + 'b'.repeat(64), ['starter:latest'])).toBe('starter:latest');
    expect(imageName('sha256:' + 'b'.repeat(64))).toBe('bbbbbbbbbbbb');
  });
});

describe('splitWords', () => {
  it('splits like a shell, without expanding', () => {
    expect(splitWords('sh -c "echo hi > /tmp/x"')).toEqual(['sh', '-c', 'echo hi > /tmp/x']);
    expect(splitWords("touch 'happy file.txt'  ")).toEqual(['touch', 'happy file.txt']);
    expect(splitWords('echo a\\ b "" $HOME')).toEqual(['echo', 'a b', '', '$HOME']);
    expect(splitWords('   ')).toEqual([]);
  });

  it('round-trips through the command line it prints', () => {
    const words = ['sh', '-c', "it's here", 'x y'];
    expect(splitWords(commandLine(words))).toEqual(words);
  });
});
