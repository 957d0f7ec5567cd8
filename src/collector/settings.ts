import { PeekStackValidationError } from '../core/errors';
import { HOST_NAME_ALLOWED, HOST_NAME_PATTERN } from '../core/names';
import { assertAddress, assertMatches } from '../core/validate';

/** A host's name and addresses, as a collector (`Collector`) and a hub (`HubStack`) check them: in one place. Pure. */
export interface HostIdentity {
  readonly hostName: string;
  readonly addresses: readonly string[];
}

/** `props` checked: a valid host name and at least one valid address; throws PeekStackValidationError. `construct` names the fields. */
export function resolveHostIdentity(construct: string, props: HostIdentity): HostIdentity {
  const hostName = assertMatches(`${construct}.hostName`, props.hostName, HOST_NAME_PATTERN, HOST_NAME_ALLOWED);
  if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
    throw new PeekStackValidationError(`${construct}.addresses`, props.addresses, construct === 'HubStack' ? 'at least one DNS name or IP address of the hub host' : 'at least one DNS name or IP address of the host');
  }
  props.addresses.forEach((address, index) => assertAddress(`${construct}.addresses[${index}]`, address));
  return { hostName, addresses: [...props.addresses] };
}
