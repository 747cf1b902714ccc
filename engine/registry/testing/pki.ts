// Certificates for test registries, made with openssl: a CA, a server
// certificate it signs (for 127.0.0.1, localhost and the names given), and
// a self-signed key pair a token issuer signs JWTs with.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string; // path
  serverCert: string;
  serverKey: string;
  /** PEM text of the CA, for a certs.d ca.crt. */
  caPem: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makePki(dir: string, names: string[] = []): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Strata Test CA', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...names.map((n) => `DNS:${n}`)].join(',');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt'], dir);
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
    caPem: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
  };
}

/** A self-signed RSA key and certificate (a token issuer's: the registry trusts the certificate). */
export function makeSigningKey(dir: string): { key: string; cert: string; certPath: string } {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Strata Test Token Issuer', '-keyout', 'token.key', '-out', 'token.crt'], dir);
  return { key: fs.readFileSync(path.join(dir, 'token.key'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'token.crt'), 'utf8'), certPath: path.join(dir, 'token.crt') };
}
