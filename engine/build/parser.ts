// A Dockerfile's text as Docker's parser reads it, before any instruction is
// understood: parser directives at the very top (`# escape=`, `# syntax=`),
// comments, the escape character ending a line to continue it (comment and
// blank lines inside a continuation are dropped), heredocs (`<<EOF`) after
// RUN, COPY and ADD, and each instruction's keyword, `--flags` and arguments
// with the lines it spans. The text an instruction prints in `Step N/M : ...`
// is its `original`: the joined logical line, as Docker shows it.

import { invalidArgument } from '../errors';
import { defaultEscape } from '../image/instruction';

export interface Heredoc {
  name: string;
  content: string;
  /** False when the delimiter was quoted (<<"EOF"): no variable expansion in the content. */
  expand: boolean;
  /** <<-EOF: leading tabs removed from each line. */
  chomp: boolean;
}

export interface DockerfileNode {
  /** Upper case, as written otherwise: "RUN". */
  keyword: string;
  /** Flag words as written before the arguments, quotes removed: "--from=build". */
  flags: string[];
  /** What follows the keyword and flags, trimmed. */
  args: string;
  original: string;
  startLine: number;
  endLine: number;
  heredocs: Heredoc[];
}

export interface ParsedDockerfile {
  escape: string;
  /** The `# syntax=` directive, recorded only: the classic builder has no frontends. */
  syntax?: string;
  nodes: DockerfileNode[];
  warnings: string[];
}

const directivePattern = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const knownDirectives = new Set(['syntax', 'escape', 'check']);
const heredocKeywords = new Set(['RUN', 'COPY', 'ADD']);
const utf8Bom = '\ufeff';

/** Errors of the text as a whole read as Docker's: "failed to parse Dockerfile: ...". */
export const fileError = (why: string) => invalidArgument(`failed to parse Dockerfile: ${why}`);
/** Errors of one instruction: "dockerfile parse error line 3: ...". */
export const lineError = (line: number, why: string) => invalidArgument(`dockerfile parse error line ${line}: ${why}`);

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split('\n').map((l) => l.replace(/[\r\n]+$/, ''));
  if (lines.length > 0 && lines[0].startsWith(utf8Bom)) lines[0] = lines[0].slice(utf8Bom.length);
  if (lines.length > 0 && lines[lines.length - 1] === '' && text.endsWith('\n')) lines.pop();

  const result: ParsedDockerfile = { escape: defaultEscape, nodes: [], warnings: [] };
  const seen = new Set<string>();
  let directivesDone = false;
  let continuation = /\\[ \t]*$/;

  // Directives are only looked for until the first line that is not one.
  const directive = (raw: string) => {
    if (directivesDone) return;
    const m = directivePattern.exec(raw);
    const name = m?.[1].toLowerCase();
    if (!m || !name || !knownDirectives.has(name)) {
      directivesDone = true;
      return;
    }
    if (seen.has(name)) throw fileError(`only one ${name} parser directive can be used`);
    seen.add(name);
    if (name === 'escape') {
      if (m[2] !== '`' && m[2] !== '\\') throw fileError(`invalid ESCAPE '${m[2]}'. Must be \` or \\`);
      result.escape = m[2];
      continuation = new RegExp(`\\${m[2]}[ \\t]*$`);
    } else if (name === 'syntax') result.syntax = m[2];
  };
  const isComment = (raw: string) => /^\s*#/.test(raw);
  const continues = (line: string) => continuation.test(line);
  const trimContinuation = (line: string) => line.replace(continuation, '');

  for (let i = 0; i < lines.length; ) {
    const first = lines[i].trimStart();
    directive(first);
    i++;
    const startLine = i;
    if (first === '' || isComment(first)) continue;

    let more = continues(first);
    let line = more ? trimContinuation(first) : first;
    let emptyContinuation = false;
    while (more && i < lines.length) {
      const next = lines[i];
      directive(next);
      i++;
      if (isComment(next)) continue;
      if (next.trim() === '') {
        emptyContinuation = true;
        continue;
      }
      more = continues(next);
      line += more ? trimContinuation(next) : next;
    }
    if (emptyContinuation) result.warnings.push(`[WARNING]: Empty continuation line found in:\n    ${line}`);
    // Nothing but continuations to the end (a lone `\`): Docker's words for an empty instruction.
    if (line.trim() === '') throw lineError(startLine, 'unknown instruction: ');

    const node = splitNode(line, startLine, result.escape);
    if (heredocKeywords.has(node.keyword)) {
      for (const marker of heredocMarkers(node.args)) {
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) throw lineError(startLine, `unterminated heredoc ${marker.name}`);
          const raw = lines[i++];
          const candidate = marker.chomp ? raw.replace(/^\t+/, '') : raw;
          if (candidate === marker.name) break;
          body.push(candidate);
        }
        node.heredocs.push({ ...marker, content: body.length ? `${body.join('\n')}\n` : '' });
      }
      node.endLine = i;
    } else node.endLine = i;
    result.nodes.push(node);
  }
  if (result.warnings.length > 0) result.warnings.push('[WARNING]: Empty continuation lines will become errors in a future release.');
  if (result.nodes.length === 0) throw fileError('file with no instructions');
  return result;
}

function splitNode(line: string, startLine: number, escape: string): DockerfileNode {
  const original = line;
  const m = /^(\S+)[\t\v\f\r ]*([\s\S]*)$/.exec(line.trim())!;
  const { flags, rest } = extractFlags(m[2], escape);
  return { keyword: m[1].toUpperCase(), flags, args: rest.trim(), original, startLine, endLine: startLine, heredocs: [] };
}

/**
 * The `--flag[=value]` words at the start of the arguments, as Docker's
 * extractBuilderFlags reads them: quotes group, the escape character escapes,
 * a lone `--` ends them.
 */
export function extractFlags(text: string, escape = defaultEscape): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
    if (!text.startsWith('--', pos)) return { flags, rest: text.slice(pos) };
    let word = '';
    let quote = '';
    let blankOk = false;
    for (; pos < text.length; pos++) {
      let ch = text[pos];
      if (!quote && /\s/.test(ch)) break;
      if (quote && ch === quote) {
        quote = '';
        continue;
      }
      if (!quote && (ch === "'" || ch === '"')) {
        quote = ch;
        blankOk = true;
        continue;
      }
      if (ch === escape) {
        if (pos + 1 === text.length) continue;
        ch = text[++pos];
      }
      word += ch;
    }
    if (word === '--') return { flags, rest: text.slice(pos) };
    if (blankOk || word) flags.push(word);
    if (pos >= text.length) return { flags, rest: '' };
  }
}

/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` in an instruction's arguments, in order. */
function heredocMarkers(args: string): Array<Omit<Heredoc, 'content'>> {
  const out: Array<Omit<Heredoc, 'content'>> = [];
  for (const m of args.matchAll(/(?<!<)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g)) {
    out.push({ name: m[3], expand: m[2] === '', chomp: m[1] === '-' });
  }
  return out;
}
