import { describe, expect, it } from 'vitest';
import { buildCommand, buildOptions, emptyForm, formProblem, parseBuildArgs, type BuildForm } from './buildCommand';

const folder: BuildForm = { ...emptyForm, source: 'folder', context: '/home/me/my app', dockerfile: '', text: '' };
const typed: BuildForm = { ...emptyForm, source: 'typed', text: 'FROM starter\nRUN echo hi > /hi.txt' };

describe('the build form', () => {
  it('equals `strata build -t … CONTEXT` for a folder, naming -f from the context (the CLI resolves it from its own directory)', () => {
    expect(buildCommand({ ...folder, tags: 'myapp:v1' })).toBe("strata build -t myapp:v1 '/home/me/my app'");
    const f: BuildForm = { ...folder, dockerfile: './docker/Dockerfile.dev', tags: 'a:1, b:2', buildArgs: 'V=1\nMSG=hello world\n', target: 'final', noCache: true };
    expect(buildCommand(f)).toBe(
      "strata build -t a:1 -t b:2 --build-arg V=1 --build-arg 'MSG=hello world' --target final --no-cache -f '/home/me/my app/docker/Dockerfile.dev' '/home/me/my app'",
    );
    expect(buildOptions(f)).toEqual({
      context: '/home/me/my app',
      dockerfile: '/home/me/my app/docker/Dockerfile.dev',
      tags: ['a:1', 'b:2'],
      buildArgs: { V: '1', MSG: 'hello world' },
      target: 'final',
      noCache: true,
    });
  });

  it('sends a typed Dockerfile as text, shown as a heredoc on `-` (no context) or `-f - CONTEXT`', () => {
    expect(buildOptions({ ...typed, tags: 'built:e2e' })).toEqual({ context: '', dockerfileText: 'FROM starter\nRUN echo hi > /hi.txt', tags: ['built:e2e'] });
    expect(buildCommand({ ...typed, tags: 'built:e2e' })).toBe("strata build -t built:e2e - <<'EOF'\nFROM starter\nRUN echo hi > /hi.txt\nEOF");
    expect(buildCommand({ ...typed, context: '/srv/ctx' })).toBe("strata build -f - /srv/ctx <<'EOF'\nFROM starter\nRUN echo hi > /hi.txt\nEOF");
    // A Dockerfile with a line EOF (a heredoc of its own) gets another delimiter.
    expect(buildCommand({ ...typed, text: 'FROM starter\nRUN <<EOF\necho hi\nEOF\n' })).toBe("strata build - <<'EOF1'\nFROM starter\nRUN <<EOF\necho hi\nEOF\nEOF1");
  });

  it('says what is missing before anything is sent', () => {
    expect(formProblem({ ...folder, context: ' ' })).toBe('Choose the context folder');
    expect(formProblem({ ...folder, context: 'relative/dir' })).toMatch(/absolute path/);
    expect(formProblem(typed)).toBeNull();
    expect(formProblem({ ...typed, text: '  \n' })).toBe('Type a Dockerfile');
    expect(formProblem({ ...typed, buildArgs: '=x' })).toMatch(/KEY=value/);
  });

  it('leaves a context folder to the command line, which may name host paths', () => {
    expect(formProblem(folder)).toMatch(/^The engine reads a context folder as root, so only the command line may name one/);
    expect(formProblem({ ...typed, context: '/srv/ctx' })).toMatch(/only the command line may name one/);
  });

  it('reads build args as docker does: KEY=value, a bare KEY names it without a value', () => {
    expect(parseBuildArgs('A=1\n\n  B=x=y \nC\n')).toEqual({ A: '1', B: 'x=y', C: null });
  });
});
