// Build arguments with Docker's rules (builder/dockerfile/buildargs.go):
// a `--build-arg` reaches a step only when the stage declared it with ARG
// (the proxy variables excepted); `ARG NAME` without a default takes the
// value of a meta ARG (one before the first FROM) of that name; an ENV of
// the same name hides it. RUN records the arguments in effect in its
// history entry (`|2 A=1 B=2 /bin/sh -c ...`), so they key the cache; proxy
// variables do not, unless declared, so a proxy change reuses the cache.

/** Docker's builtinAllowedBuildArgs: usable without ARG, never recorded unless declared. */
const builtinArgs = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

export class BuildArgs {
  /** ARGs declared in the current stage: name → default (undefined: none). */
  private allowed = new Map<string, string | undefined>();
  private readonly meta = new Map<string, string | undefined>();
  private readonly referenced = new Set<string>();

  /** `options`: the --build-arg values; undefined for one given without a value and unset in the client's env. */
  constructor(private readonly options: ReadonlyMap<string, string | undefined>) {}

  /** A new stage sees the meta args and the options, and declares its own ARGs again. */
  startStage(): void {
    this.allowed = new Map();
  }

  /** ARG in a stage. */
  declare(name: string, value: string | undefined): void {
    this.allowed.set(name, value);
    this.referenced.add(name);
  }

  /** ARG before the first FROM. */
  declareMeta(name: string, value: string | undefined): void {
    this.declare(name, value);
    this.meta.set(name, value);
  }

  /** The values FROM lines and meta ARG defaults expand with. */
  metaValues(): Map<string, string> {
    return this.values(this.meta);
  }

  /** Every argument visible in the stage with a value, except those an ENV of the image sets (Docker's FilterAllowed). */
  inEffect(env: readonly string[] | undefined): Array<[string, string]> {
    const envNames = new Set((env ?? []).map((kv) => kv.split('=', 1)[0]));
    return [...this.values(this.allowed)].filter(([name]) => !envNames.has(name));
  }

  /** The arguments a RUN's history entry records: declared ones, and undeclared ones that are not proxies. */
  recorded(env: readonly string[] | undefined): string[] {
    return this.inEffect(env)
      .filter(([name]) => this.allowed.has(name) || !builtinArgs.has(name))
      .map(([k, v]) => `${k}=${v}`)
      .sort();
  }

  /** --build-arg names no ARG declared: Docker warns about them at the end. */
  unused(): string[] {
    return [...this.options.keys()].filter((k) => !this.referenced.has(k) && !builtinArgs.has(k)).sort();
  }

  private values(declared: ReadonlyMap<string, string | undefined>): Map<string, string> {
    const out = new Map<string, string>();
    const names = new Set([...declared.keys(), ...[...builtinArgs].filter((b) => this.options.has(b))]);
    for (const name of names) {
      const given = this.options.get(name);
      if (given !== undefined) out.set(name, given);
      else if (declared.get(name) !== undefined) out.set(name, declared.get(name)!);
      else if (this.meta.get(name) !== undefined) out.set(name, this.meta.get(name)!);
    }
    return out;
  }
}
