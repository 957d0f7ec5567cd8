import { PeekStackValidationError } from '../core/errors';

/**
 * ipmi_exporter's configuration file (`--config.file`): one module with the `dcmi` collector only
 * (the BMC's whole-machine power; the exporter's other collectors run a FreeIPMI tool each per
 * scrape for data PeekStack does not read). Pure: the same input always gives the same text.
 * @see https://github.com/prometheus-community/ipmi_exporter/blob/master/docs/configuration.md
 */

/** Module of the in-band mode: the exporter's `/metrics` endpoint uses the module named `default`. */
export const IPMI_IN_BAND_MODULE = 'default';

/** Module of the remote mode: scraped as `/ipmi?module=remote&target=<BMC address>`. */
export const IPMI_REMOTE_MODULE = 'remote';

/** What the exporter reads the BMC through. */
export type IpmiExporterConfigInput =
  /** The local BMC through the kernel's OpenIPMI driver (`/dev/ipmi0`). */
  | { readonly mode: 'in-band' }
  /** A BMC over the network (RMCP+, IPMI 2.0), logged in as `user` with `password`. */
  | {
      readonly mode: 'remote';
      /** User name at the BMC (a literal or a Terraform token). @default - FreeIPMI's default: the null user */
      readonly user?: string;
      /** Password at the BMC: a Terraform token in a deployed file, never a literal in cdk.tf.json. */
      readonly password: string;
    };

/**
 * A YAML literal block scalar of `value` under a key indented by `indent` spaces: every character
 * is taken as written (`#`, quotes, `:`, leading spaces), so a password Terraform fills in at apply
 * time needs no quoting; the explicit indentation indicator keeps leading spaces part of the value.
 */
function literalScalar(field: string, value: string, indent: number): string {
  if (/[\r\n]/.test(value)) throw new PeekStackValidationError(field, '<a value with a line break, not shown>', 'a value on one line');
  return `|2-\n${' '.repeat(indent + 2)}${value}`;
}

/** The exporter's YAML configuration for `input`. */
export function renderIpmiExporterConfig(input: IpmiExporterConfigInput): string {
  const lines = ['# Rendered by PeekStack: the dcmi collector only (whole-machine power).', 'modules:'];
  if (input.mode === 'in-band') {
    // OPENIPMI: FreeIPMI's other in-band drivers (KCS, SSIF) reach the BMC through I/O ports or
    // the I2C bus and need CAP_SYS_RAWIO; through /dev/ipmi0 no capability is needed.
    lines.push(`  ${IPMI_IN_BAND_MODULE}:`, '    driver: OPENIPMI', '    collectors:', '      - dcmi');
  } else {
    lines.push(
      `  ${IPMI_REMOTE_MODULE}:`,
      // IPMI 2.0 (RMCP+): IPMI 1.5 sends the password in a way anyone on the path can recover.
      '    driver: LAN_2_0',
      // Reading power is a user-level command: the exporter needs no operator or admin account.
      '    privilege: user',
      ...(input.user === undefined ? [] : [`    user: ${literalScalar('IpmiExporter.user', input.user, 4)}`]),
      `    pass: ${literalScalar('IpmiExporter.password', input.password, 4)}`,
      '    collectors:',
      '      - dcmi',
    );
  }
  return `${lines.join('\n')}\n`;
}
