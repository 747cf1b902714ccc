// What `pull` shares with `run` and `create` (which pull a missing image
// first): the `image.pull` stream printed as docker prints it, to stdout for
// `pull` and stderr for the others, and Ctrl-C cancelling it (the engine
// then removes what the pull had made).

import type { PullMessage, PullOptions } from '../api';
import { EngineError } from '../errors';
import { parseReference, withDefaultTag, type ImageReference } from '../oci/reference';
import type { Cli } from './session';
import { TransferPrinter } from './transferOutput';

/** docker.io/library/ubuntu:latest: the fully qualified name docker prints when a pull is done. */
export function qualified(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** Runs a pull, printing its progress to `stream`; resolves once the image is in the store. */
export function runPull(cli: Cli, opts: PullOptions, stream: 'stdout' | 'stderr', quiet = false): Promise<PullMessage[]> {
  const out = stream === 'stdout' ? cli.stdout : cli.stderr;
  const printer = new TransferPrinter((t) => out.write(t), out.isTTY === true, () => out.columns ?? 80);
  const pulled: PullMessage[] = [];
  return new Promise((resolve, reject) => {
    let cancelled = false;
    const handle = cli.client.open('image.pull', opts, {
      onMessage(m) {
        if (m.type === 'pulled') pulled.push(m);
        else if (m.type !== 'image' && !quiet) printer.print(m);
      },
      onEnd(error) {
        process.off('SIGINT', onInterrupt);
        if (cancelled) return reject(Object.assign(new EngineError('Internal', 'pull cancelled'), { interrupted: true }));
        if (error) reject(EngineError.fromPayload(error));
        else resolve(pulled);
      },
    });
    const onInterrupt = () => {
      cancelled = true;
      handle.close();
    };
    process.on('SIGINT', onInterrupt);
  });
}

/** The reference a pull names, with `latest` when it names no tag (and docker's line saying so). */
export function defaultTagged(cli: Cli, reference: string, quiet: boolean, stream: NodeJS.WriteStream = cli.stdout): ImageReference {
  const ref = parseReference(reference);
  if (ref.tag === undefined && ref.digest === undefined) {
    if (!quiet) stream.write('Using default tag: latest\n');
    return withDefaultTag(ref);
  }
  return ref;
}
