// The classic build cache (moby image/cache): a step is reused when an image
// made on the same parent ran with the same config — its container_config,
// whose Cmd records the step itself (`#(nop)  ENV A=1`, `COPY file:<hash> in
// /dst `, `|1 V=7 /bin/sh -c make`), so the instruction after expansion,
// the build args it saw and the content it copied all take part. Among
// several matches the newest wins. Images made from scratch are looked for
// among all images without a parent.

import type { RunConfig } from '../oci/config';
import type { Store } from '../store/store';

export function findCachedStep(store: Store, parent: string | null, probe: RunConfig): string | undefined {
  const want = canonical(probe);
  let best: { id: string; created: number } | undefined;
  for (const id of store.images.children(parent ?? '')) {
    const image = store.images.getImage(id);
    const ran = image.config.container_config;
    if (!ran || canonical(ran) !== want) continue;
    if (!best || image.created >= best.created) best = { id, created: image.created };
  }
  return best?.id;
}

/** The fields Docker's compare() looks at, in a form where equal configs give equal text. */
function canonical(c: RunConfig): string {
  const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {}).sort();
  return JSON.stringify([
    c.Cmd ?? [],
    c.Entrypoint ?? [],
    c.Env ?? [],
    c.User ?? '',
    Object.entries(c.Labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    keys(c.ExposedPorts),
    keys(c.Volumes),
    c.WorkingDir ?? '',
    c.Shell ?? [],
    c.StopSignal ?? '',
    c.OnBuild ?? [],
    c.Healthcheck ?? null,
  ]);
}
