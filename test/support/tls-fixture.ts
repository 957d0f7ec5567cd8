import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA and a server certificate it signed, as files and PEM text. */
export interface TlsFixture {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  caPem: string;
}

/**
 * Makes a throw-away CA and a server certificate for `names` (DNS names and IPs) with openssl, the
 * same shape as what Terraform's tls provider generates for a collector (ECDSA P-256).
 */
export function makeTlsFixture(names: readonly string[]): TlsFixture {
  const dir = mkdtempSync(join(tmpdir(), 'peekstack-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
  run(['req', '-x509', '-new', '-key', 'ca.key', '-days', '2', '-subj', '/O=PeekStack test/CN=test CA', '-out', 'ca.crt']);
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key']);
  run(['req', '-new', '-key', 'server.key', '-subj', '/O=PeekStack test/CN=server', '-out', 'server.csr']);
  const san = names.map((name) => (/^[0-9.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt']);
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
  };
}

/** A certificate and key as PEM text. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * Another certificate from `fixture`'s CA for `names` (ECDSA P-256, valid 2 days). With
 * `clientAuth` it carries client authentication beside server authentication, as the certificate
 * of a member of a mutual-TLS mesh does (Alertmanager gossip).
 */
export function issueFromFixture(fixture: TlsFixture, id: string, names: readonly string[], options: { clientAuth?: boolean } = {}): IssuedCertificate {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: fixture.dir, stdio: 'pipe' });
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${id}.key`]);
  run(['req', '-new', '-key', `${id}.key`, '-subj', `/O=PeekStack test/CN=${id}`, '-out', `${id}.csr`]);
  const san = names.map((name) => (/^[0-9.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  writeFileSync(join(fixture.dir, `${id}.cnf`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth${options.clientAuth ? ',clientAuth' : ''}\n`);
  run(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${id}.cnf`, '-out', `${id}.crt`]);
  return { certPem: readFileSync(join(fixture.dir, `${id}.crt`), 'utf8'), keyPem: readFileSync(join(fixture.dir, `${id}.key`), 'utf8') };
}
