import { variablePrefix } from './names';

/**
 * Names the hub stack gives its own Terraform variables and outputs: the hub declares them, and
 * the fleet file's receivers may not name them as their secret variables (a receiver's variable is
 * declared in the hub too, by the name the file gives it).
 */

/** The hub's outputs (also their construct ids in the hub stack). */
export const HUB_OUTPUTS = {
  caCertificate: 'hub_ca_certificate',
  fleetStoreUrl: 'fleet_store_url',
  fleetStoreWriterUsername: 'fleet_store_writer_username',
  fleetStoreWriterPassword: 'fleet_store_writer_password',
  fleetStoreReaderUsername: 'fleet_store_reader_username',
  fleetStoreReaderPassword: 'fleet_store_reader_password',
  alertmanagerUrl: 'alertmanager_url',
  alertmanagerUsername: 'alertmanager_username',
  alertmanagerPassword: 'alertmanager_password',
  alertmanagerPeerUrl: 'alertmanager_peer_url',
} as const;

/**
 * Why `name` cannot be a variable of a receiver in the hub stack `hubStackName`, or undefined when
 * it can: the hub's own variables all start with `<hub>_` (sensitiveVariable), and its outputs
 * share the stack's construct names.
 */
export function hubNameTaken(hubStackName: string, name: string): string | undefined {
  const prefix = `${variablePrefix(hubStackName)}_`;
  if (name.startsWith(prefix)) return `a name not starting with "${prefix}": the hub declares its own variables under that prefix (its Alertmanager and fleet store passwords)`;
  if ((Object.values(HUB_OUTPUTS) as string[]).includes(name)) return `a name other than the hub's outputs (${Object.values(HUB_OUTPUTS).join(', ')})`;
  return undefined;
}
