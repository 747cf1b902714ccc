/**
 * A module loaded on first use and kept, so a CLI command pays only for the
 * parts of the engine it needs (Node's start-up is most of a `strata run`).
 * Dynamic import: it works for compiled code and under the test runner alike.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
