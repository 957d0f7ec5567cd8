/**
 * What Terraform computes for the non-Docker resources of a synthesized stack, made for real: the
 * random provider's passwords (and their bcrypt hashes) and the tls provider's keys, CA, CSRs and
 * signed certificates (openssl, with each resource's own subject, SANs, validity and CA flag).
 * Values are generated once per resource address and kept, as Terraform's state keeps them: a
 * second apply of the same stack sees the same passwords and certificates.
 */
import bcrypt from 'bcryptjs';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UntypedJson } from '../support/untyped-json';

/** A resource block as synthesized (attributes loosely typed). */
export type ResourceBlock = Record<string, UntypedJson>;

/** Attributes each non-Docker resource type may carry, per the providers' schemas the stacks use. */
export const KNOWN_ATTRIBUTES: Record<string, readonly string[]> = {
  random_password: ['length', 'special', 'upper', 'lower', 'numeric', 'min_lower', 'min_upper', 'min_numeric', 'min_special', 'override_special', 'keepers'],
  tls_private_key: ['algorithm', 'ecdsa_curve', 'rsa_bits'],
  tls_self_signed_cert: ['private_key_pem', 'subject', 'validity_period_hours', 'early_renewal_hours', 'allowed_uses', 'is_ca_certificate', 'dns_names', 'ip_addresses'],
  tls_cert_request: ['private_key_pem', 'subject', 'dns_names', 'ip_addresses'],
  tls_locally_signed_cert: ['cert_request_pem', 'ca_private_key_pem', 'ca_cert_pem', 'validity_period_hours', 'early_renewal_hours', 'allowed_uses', 'is_ca_certificate'],
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SPECIAL = '!@#$%&*()-_=+[]{}<>:?';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function subjectOf(block: ResourceBlock): string {
  const s = (block.subject ?? [])[0] ?? {};
  const parts: string[] = [];
  if (s.organization) parts.push(`O=${s.organization}`);
  if (s.common_name) parts.push(`CN=${s.common_name}`);
  return `/${parts.join('/').replace(/\n/g, ' ')}`;
}

const KEY_USAGE: Record<string, string> = {
  cert_signing: 'keyCertSign',
  crl_signing: 'cRLSign',
  digital_signature: 'digitalSignature',
  key_encipherment: 'keyEncipherment',
};
const EXT_USAGE: Record<string, string> = { server_auth: 'serverAuth', client_auth: 'clientAuth' };

function extensions(block: ResourceBlock, sans: string[]): string {
  const uses: string[] = block.allowed_uses ?? [];
  const unknown = uses.filter((u) => !KEY_USAGE[u] && !EXT_USAGE[u]);
  if (unknown.length) throw new Error(`allowed_uses ${unknown.join(', ')} not modelled`);
  const lines = [
    `basicConstraints=critical,CA:${block.is_ca_certificate ? 'TRUE' : 'FALSE'}`,
    ...(uses.some((u) => KEY_USAGE[u]) ? [`keyUsage=critical,${uses.filter((u) => KEY_USAGE[u]).map((u) => KEY_USAGE[u]).join(',')}`] : []),
    ...(uses.some((u) => EXT_USAGE[u]) ? [`extendedKeyUsage=${uses.filter((u) => EXT_USAGE[u]).map((u) => EXT_USAGE[u]).join(',')}`] : []),
    ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function sansOf(block: ResourceBlock): string[] {
  return [...(block.dns_names ?? []).map((n: string) => `DNS:${n}`), ...(block.ip_addresses ?? []).map((n: string) => `IP:${n}`)];
}

/**
 * Computes one attribute of a resource whose inputs are already resolved (no `${}` left).
 * `remember` holds what was made for the address (Terraform's state).
 */
export function computeAttribute(type: string, block: ResourceBlock, attribute: string, remember: Record<string, string>): string {
  if (remember[attribute] !== undefined) return remember[attribute];
  const dir = mkdtempSync(join(tmpdir(), 'peekstack-tfvalue-'));
  try {
    switch (type) {
      case 'random_password': {
        if (remember.result === undefined) {
          const chars = block.special === false ? ALNUM : ALNUM + SPECIAL;
          remember.result = Array.from({ length: Number(block.length ?? 16) }, () => chars[randomInt(chars.length)]).join('');
          // Terraform's random_password.bcrypt_hash: Go's bcrypt, default cost (10).
          remember.bcrypt_hash = bcrypt.hashSync(remember.result, 10);
        }
        break;
      }
      case 'tls_private_key': {
        if (block.algorithm !== 'ECDSA' || block.ecdsa_curve !== 'P256') throw new Error(`tls_private_key ${block.algorithm}/${block.ecdsa_curve} not modelled (ECDSA P256 only)`);
        openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'key.pem']);
        remember.private_key_pem = readFileSync(join(dir, 'key.pem'), 'utf8');
        break;
      }
      case 'tls_cert_request': {
        writeFileSync(join(dir, 'key.pem'), block.private_key_pem);
        const sans = sansOf(block);
        writeFileSync(join(dir, 'req.cnf'), `[req]\ndistinguished_name=dn\nreq_extensions=ext\n[dn]\n[ext]\n${sans.length ? `subjectAltName=${sans.join(',')}\n` : ''}`);
        openssl(dir, ['req', '-new', '-key', 'key.pem', '-subj', subjectOf(block), '-config', 'req.cnf', '-out', 'csr.pem']);
        remember.cert_request_pem = readFileSync(join(dir, 'csr.pem'), 'utf8');
        break;
      }
      case 'tls_self_signed_cert': {
        writeFileSync(join(dir, 'key.pem'), block.private_key_pem);
        writeFileSync(join(dir, 'ext.cnf'), `[req]\ndistinguished_name=dn\nx509_extensions=ext\n[dn]\n[ext]\n${extensions(block, sansOf(block))}subjectKeyIdentifier=hash\n`);
        const days = String(Math.max(1, Math.floor(Number(block.validity_period_hours) / 24)));
        openssl(dir, ['req', '-x509', '-new', '-key', 'key.pem', '-subj', subjectOf(block), '-days', days, '-config', 'ext.cnf', '-out', 'cert.pem']);
        remember.cert_pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
        break;
      }
      case 'tls_locally_signed_cert': {
        writeFileSync(join(dir, 'csr.pem'), block.cert_request_pem);
        writeFileSync(join(dir, 'ca.pem'), block.ca_cert_pem);
        writeFileSync(join(dir, 'ca.key'), block.ca_private_key_pem);
        // Terraform's tls_locally_signed_cert copies the request's names into the certificate.
        const text = execFileSync('openssl', ['req', '-in', 'csr.pem', '-noout', '-text'], { cwd: dir, encoding: 'utf8' });
        const san = /Subject Alternative Name:\s*\n\s*(.+)/.exec(text)?.[1] ?? '';
        const sans = san
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => s.replace(/^IP Address:/, 'IP:'));
        writeFileSync(join(dir, 'ext.cnf'), extensions(block, sans) + 'authorityKeyIdentifier=keyid\n');
        const days = String(Math.max(1, Math.floor(Number(block.validity_period_hours) / 24)));
        openssl(dir, ['x509', '-req', '-in', 'csr.pem', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-extfile', 'ext.cnf', '-out', 'cert.pem']);
        remember.cert_pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
        break;
      }
      default:
        throw new Error(`resource type ${type} not modelled`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (remember[attribute] === undefined) throw new Error(`${type} has no attribute ${attribute} in this model`);
  return remember[attribute];
}
