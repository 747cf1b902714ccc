// `docker login` and `docker logout`. Login asks the registry itself before
// anything is kept: GET /v2/ with the credentials (basic), or a token from
// the registry's realm for them (bearer, asking for a refresh token, which
// is then kept instead of the password, as Docker does). A refusal is one
// error and nothing is written.

import type { LoginResult } from '../api';
import { invalidArgument, unauthorized } from '../errors';
import { RegistrySession } from './client';
import { authKey, type Credentials } from './credentials';
import { dockerHubAuthKey, dockerHubRegistry } from './hosts';
import type { Registries } from './registries';
import { RegistryError, statusLine } from './registryErrors';

function hostFor(key: string): string {
  return key === dockerHubAuthKey ? dockerHubRegistry : key;
}

export async function login(r: Registries, a: { server?: string; username: string; password: string }): Promise<LoginResult> {
  const key = authKey(a.server?.trim() || dockerHubAuthKey);
  if (a.username.trim() === '') throw invalidArgument('Username cannot be empty');
  if (a.password === '') throw invalidArgument('Password cannot be empty');
  const creds: Credentials = { username: a.username.trim(), password: a.password };
  const session = new RegistrySession(r.transport, hostFor(key), async () => creds, undefined, true);
  await session.ping();
  const url = new URL('v2/', `${(await session.base()).href.replace(/\/?$/, '/')}`);
  let authorization: string | undefined;
  try {
    authorization = await session.authorizer.header([]);
  } catch (err) {
    if (err instanceof RegistryError) throw unauthorized(`Get ${JSON.stringify(url.href)}: ${err.text}`);
    throw err;
  }
  const res = await r.transport.send(url, { method: 'GET', headers: authorization ? { authorization } : {} });
  await res.body.dump();
  if (res.status !== 200) throw unauthorized(`login attempt to ${url.href} failed with status: ${statusLine(res.status)}`);
  const refresh = session.authorizer.refreshToken;
  const kept = refresh ? { username: creds.username, password: '', identityToken: refresh } : creds;
  const { plainTextFile } = await r.credentials.store(key, kept);
  return { status: 'Login Succeeded', server: key, ...(plainTextFile ? { plainTextFile } : {}) };
}

export async function logout(r: Registries, server?: string): Promise<{ server: string; removed: boolean }> {
  const key = authKey(server?.trim() || dockerHubAuthKey);
  return { server: key, removed: await r.credentials.erase(key) };
}
