// The API versions Strata answers: 1.24 (what the docker CLI assumes when a
// server names none) to 1.41 (dockerd 20.10). A path may carry its version
// (/v1.41/containers/json); one without answers as the newest.

export const minApiVersion = '1.24';
export const maxApiVersion = '1.41';

/** Compares dotted versions numerically: "1.9" < "1.24". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Splits "/v1.41/containers/json" into the version and the route's path. */
export function splitVersion(pathname: string): { version: string | undefined; path: string } {
  const m = /^\/v([0-9]+(?:\.[0-9]+)*)(\/.*)$/.exec(pathname);
  return m ? { version: m[1], path: m[2] } : { version: undefined, path: pathname };
}

/** Docker's words for a version it does not serve, or undefined when it does. */
export function versionRefusal(version: string): string | undefined {
  if (compareVersions(version, maxApiVersion) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${maxApiVersion}`;
  }
  if (compareVersions(version, minApiVersion) < 0) {
    return `client version ${version} is too old. Minimum supported API version is ${minApiVersion}, please upgrade your client to a newer version`;
  }
  return undefined;
}
