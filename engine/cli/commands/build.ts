// `strata build [OPTIONS] PATH | -`: the build's progress printed as the
// classic docker builder prints it (`Step 3/7 : RUN ...`, ` ---> Using
// cache`, ` ---> Running in 1a2b3c4d5e6f`, the step's output, `Removing
// intermediate container ...`, ` ---> 1a2b3c4d5e6f`, `Successfully built`,
// `Successfully tagged`). A failed step prints its error and exits with the
// step's code (a RUN's own exit code), as docker does; -q prints only the
// image id, and everything if the build fails. `-f -` reads the Dockerfile
// from standard input; so does `-` when what comes is not an archive (an
// empty context, as docker's `build - < Dockerfile`).

import fs from 'node:fs';
import path from 'node:path';
import type { BuildMessage, BuildOptions } from '../../api';
import { EngineError } from '../../errors';
import type { CommandModule } from '../command';
import type { Flags } from '../flags';
import { OptionError, type Cli } from '../session';
import { keyValueMap } from '../flagValues';
import { parseExtraHost } from '../../network/nameFiles';
import { checked, validateLabel } from './create';
import { buildLimitFlags, resourceOptions, securityOptions } from './limitFlags';

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
const red = (text: string) => `\x1b[91m${text}\x1b[0m`;

/** One message as docker's classic builder words it ('' for messages it does not print). */
export function buildLine(m: BuildMessage, colour: boolean): string {
  switch (m.type) {
    case 'step':
      return `Step ${m.step}/${m.steps} : ${m.instruction}\n`;
    case 'triggers':
      return `# Executing ${m.count} build trigger${m.count > 1 ? 's' : ''}\n`;
    case 'cache':
      return m.hit ? ' ---> Using cache\n' : '';
    case 'container':
      return ` ---> Running in ${short(m.id)}\n`;
    case 'output':
      return m.stream === 'stderr' && colour ? red(m.text) : m.text;
    case 'removed':
      return `Removing intermediate container ${short(m.id)}\n`;
    case 'image':
      return ` ---> ${short(m.id)}\n`;
    case 'warning':
      return `${m.text}\n`;
    case 'error':
      return '';
    case 'built':
      return `Successfully built ${short(m.id)}\n${m.tags.map((t) => `Successfully tagged ${t}\n`).join('')}`;
  }
}

/** `--build-arg K=V`, or `--build-arg K` taking K from the environment (null when unset, as docker's nil). */
function buildArgs(cli: Cli, values: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq >= 0) out[value.slice(0, eq)] = value.slice(eq + 1);
    else out[value] = cli.env[value] ?? null;
  }
  return out;
}

async function readText(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function options(cli: Cli, flags: Flags, context: string): Promise<BuildOptions> {
  const file = flags.string('file');
  const opts: BuildOptions = { context: context === '-' ? '-' : path.resolve(context) };
  if (file === '-') {
    if (context === '-') throw new Error("invalid argument: can't use stdin for both build context and dockerfile");
    opts.dockerfileText = await readText(cli.stdin);
  }
  // A Dockerfile beside a directory context is named from here, as docker's CLI does; inside a tar it is a path in it.
  else if (file !== undefined && file !== '') opts.dockerfile = context === '-' ? file : path.resolve(file);
  if (flags.has('tag')) opts.tags = flags.list('tag');
  if (flags.has('build-arg')) opts.buildArgs = buildArgs(cli, flags.list('build-arg'));
  if (flags.has('target')) opts.target = flags.string('target');
  if (flags.bool('no-cache')) opts.noCache = true;
  if (flags.has('label')) opts.labels = keyValueMap(flags.list('label'));
  if (flags.bool('quiet')) opts.quiet = true;
  if (flags.bool('pull')) opts.pull = true;
  if (flags.has('platform') && flags.string('platform')) opts.platform = flags.string('platform');
  if (flags.has('network')) opts.networkMode = flags.string('network');
  if (flags.has('rm')) opts.rm = flags.bool('rm');
  if (flags.bool('force-rm')) opts.forceRm = true;
  if (flags.list('cache-from').length > 0) opts.cacheFrom = flags.list('cache-from');
  if (flags.list('add-host').length > 0) opts.extraHosts = flags.list('add-host');
  const limits = { ...resourceOptions(flags), ...securityOptions(flags) };
  if (Object.keys(limits).length > 0) opts.stepLimits = limits;
  return opts;
}

/** The flags that cannot apply here, refused or accepted as dockerd (without experimental mode) does. */
function checkHostOnly(flags: Flags): void {
  const isolation = flags.string('isolation');
  if (isolation && isolation !== 'default') throw new OptionError(`Invalid isolation: "${isolation}" - linux only supports 'default'`);
  if (flags.bool('squash')) throw new OptionError('squash is only supported with experimental mode');
  if (flags.has('disable-content-trust') && !flags.bool('disable-content-trust')) {
    throw new OptionError('content trust (Notary signatures) is not available in Strata: leave --disable-content-trust at true');
  }
}

export const build: CommandModule = {
  flags: [
    ...buildLimitFlags,
    { name: 'add-host', type: 'list', help: 'Add a custom host-to-IP mapping (host:ip)', validate: checked(parseExtraHost) },
    { name: 'build-arg', type: 'list', help: 'Set build-time variables' },
    { name: 'cache-from', type: 'strings', help: 'Images to consider as cache sources' },
    // The context is read where it lies, never sent anywhere: there is nothing to compress.
    { name: 'compress', type: 'bool', help: 'Compress the build context using gzip' },
    { name: 'disable-content-trust', type: 'bool', default: 'true', help: 'Skip image verification' },
    { name: 'file', short: 'f', type: 'string', help: "Name of the Dockerfile (Default is 'PATH/Dockerfile')" },
    { name: 'force-rm', type: 'bool', help: 'Always remove intermediate containers' },
    { name: 'iidfile', type: 'string', help: 'Write the image ID to the file' },
    { name: 'isolation', type: 'string', help: 'Container isolation technology' },
    { name: 'label', type: 'list', help: 'Set metadata for an image', validate: validateLabel },
    { name: 'network', type: 'string', default: 'default', help: 'Set the networking mode for the RUN instructions during build' },
    { name: 'no-cache', type: 'bool', help: 'Do not use cache when building the image' },
    { name: 'platform', type: 'string', help: 'Set platform if server is multi-platform capable' },
    { name: 'pull', type: 'bool', help: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the build output and print image ID on success' },
    { name: 'rm', type: 'bool', default: 'true', help: 'Remove intermediate containers after a successful build' },
    { name: 'squash', type: 'bool', help: 'Squash newly built layers into a single new layer' },
    { name: 'tag', short: 't', type: 'list', help: "Name and optionally a tag in the 'name:tag' format" },
    { name: 'target', type: 'string', help: 'Set the target build stage to build.' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, flags, args) {
    checkHostOnly(flags);
    const iidfile = flags.string('iidfile');
    // As the docker CLI: an old id file goes first, so a failed build leaves none.
    if (iidfile) fs.rmSync(iidfile, { force: true });
    const opts = await options(cli, flags, args[0]);
    const quiet = !!opts.quiet;
    const colour = cli.stdout.isTTY === true;
    return new Promise((resolve, reject) => {
      let failed: Extract<BuildMessage, { type: 'error' }> | undefined;
      cli.client.open('image.build', opts, {
        onMessage(m) {
          if (m.type === 'error') {
            failed = m;
            return;
          }
          if (m.type === 'built' && iidfile) fs.writeFileSync(iidfile, m.id);
          if (m.type === 'built' && quiet) cli.out(`${m.id}\n`);
          // A quiet build's output arrives only when it failed: it goes with the error, to stderr.
          else if (quiet) cli.err(buildLine(m, false));
          else cli.out(buildLine(m, colour));
        },
        onEnd(error) {
          if (!error) return resolve(0);
          if (!failed) return reject(EngineError.fromPayload(error));
          cli.err(`${failed.message}\n`);
          resolve(failed.exitCode);
        },
      });
    });
  },
};
