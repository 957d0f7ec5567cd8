import bcrypt from 'bcryptjs';
import { readFileSync } from 'node:fs';
import { makeTlsFixture, TlsFixture } from './tls-fixture';
import { TerraformValues } from './deployed-files';

/** Test material standing in for what Terraform generates: a password, its bcrypt hash, a CA and a server certificate. */
export interface TestSecrets extends TerraformValues {
  tls: TlsFixture;
}

/**
 * Makes a password (bcrypt cost 4: the lowest Go accepts, to keep the tests fast) and a certificate
 * whose SANs cover every name the collector's components are reached by.
 */
export function makeTestSecrets(names: readonly string[] = ['localhost', '127.0.0.1', 'host.docker.internal']): TestSecrets {
  const password = `test-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const tls = makeTlsFixture(names);
  return {
    password,
    bcryptHash: bcrypt.hashSync(password, 4),
    caPem: tls.caPem,
    certPem: readFileSync(tls.certFile, 'utf8'),
    keyPem: readFileSync(tls.keyFile, 'utf8'),
    tls,
  };
}
