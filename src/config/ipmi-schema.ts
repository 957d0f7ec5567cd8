import * as z from 'zod/mini';
import { PeekStackValidationError } from '../core/errors';
import { assertAddress } from '../core/validate';
import { SECRET_VARIABLE_PATTERN } from './alerting-schema';
import { strict, text } from './schema-builders';

/**
 * A host's `ipmi:` key: whole-machine power from its BMC (src/components/ipmi/). In-band, or a BMC
 * over the network whose password (and, if wanted, user) come from sensitive Terraform variables
 * of the host's collector stack, named here: the secret itself never appears in the file.
 */

/** Where a BMC password goes instead of the fleet file (the message of a password written in it). */
export const IPMI_PASSWORD_ELSEWHERE =
  'no password in the fleet file (it is written in plain text to cdk.tf.json): name the sensitive Terraform variable that holds it with passwordVariable, e.g. "passwordVariable: web_1_bmc_password", and set TF_VAR_web_1_bmc_password';

/** A key that would put the BMC password in the file: refused, its value never shown. */
const passwordRefused = () =>
  z.unknown().check(z.superRefine((_value, ctx) => {
    ctx.addIssue({ code: 'custom', message: IPMI_PASSWORD_ELSEWHERE, params: { found: 'a password (not shown)' } });
  }));

/** The name of a sensitive Terraform variable of the collector stack. */
const variableName = (what: string) =>
  z
    .string({ error: `the name of the sensitive Terraform variable holding the ${what} (set as TF_VAR_<name>)` })
    .check(z.regex(SECRET_VARIABLE_PATTERN, { error: `the name of the sensitive Terraform variable holding the ${what}: lower-case letters, digits and "_", starting with a letter` }));

/** The BMC's address, checked by the same function as hosts' addresses and the IpmiExporter construct. */
const bmcAddress = () =>
  z.string({ error: 'the BMC\'s DNS name or IP address' }).check(z.superRefine((value, ctx) => {
    try {
      assertAddress('ipmi.address', value);
    } catch (error) {
      if (!(error instanceof PeekStackValidationError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.allowed, params: { found: error.received } });
    }
  }));

/** The keys only a remote BMC takes. */
const REMOTE_ONLY = ['address', 'user', 'userVariable', 'passwordVariable'] as const;

/** `hosts[].ipmi`. */
export function ipmiSchema() {
  return strict({
    mode: z.enum(['in-band', 'remote'], { error: '"in-band" (the host\'s own BMC, through /dev/ipmi0) or "remote" (a BMC at address, over IPMI 2.0)' }),
    address: z.optional(bmcAddress()),
    user: z.optional(text('the BMC user name').check(z.regex(/^[^\s:][^:\r\n]{0,63}$/, { error: 'a BMC user name: one line, at most 64 characters, no ":"' }))),
    userVariable: z.optional(variableName('BMC user name')),
    passwordVariable: z.optional(variableName('BMC password')),
    password: z.optional(passwordRefused()),
    pass: z.optional(passwordRefused()),
  }).check(z.superRefine((ipmi, ctx) => {
    if (ipmi.mode === 'remote') {
      if (ipmi.address === undefined) ctx.addIssue({ code: 'custom', path: ['address'], message: 'the BMC\'s DNS name or IP address (mode "remote")' });
      // A password written in the file is refused on its own (its message says where it goes).
      if (ipmi.passwordVariable === undefined && ipmi.password === undefined && ipmi.pass === undefined) ctx.addIssue({ code: 'custom', path: ['passwordVariable'], message: 'the name of the sensitive Terraform variable holding the BMC password (mode "remote")' });
      if (ipmi.user !== undefined && ipmi.userVariable !== undefined) ctx.addIssue({ code: 'custom', path: ['userVariable'], message: 'user or userVariable, not both' });
      if (ipmi.userVariable !== undefined && ipmi.userVariable === ipmi.passwordVariable) ctx.addIssue({ code: 'custom', path: ['userVariable'], message: 'a variable other than passwordVariable\'s (one holds the user name, the other the password)' });
    } else {
      for (const key of REMOTE_ONLY) {
        if (ipmi[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'nothing in mode "in-band" (the host\'s own BMC through /dev/ipmi0 needs no address or login): set mode: remote for a BMC over the network' });
      }
    }
  }));
}

/** `hosts[].ipmi` as written. */
export type IpmiEntry = z.infer<ReturnType<typeof ipmiSchema>>;
