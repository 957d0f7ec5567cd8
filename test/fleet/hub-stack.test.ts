import { describe, expect, it } from 'vitest';
import { HubStack } from '../../src/fleet/hub-stack';
import { containerNamed, resourcesOf, synthStack, testApp, uploadedFile } from '../support/synth';

describe('HubStack', () => {
  const hub = new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: ['ops.example.net', '192.0.2.7'] });
  const synth = synthStack(hub);

  it('holds the fleet store, a CA of its own and a private network', () => {
    expect(resourcesOf(synth, 'docker_container').map((container) => container.name).sort()).toEqual(['peekstack-victoria-metrics', 'peekstack-vmauth']);
    expect(resourcesOf(synth, 'docker_network').map((network) => network.name)).toEqual(['peekstack-hub']);
    expect(resourcesOf(synth, 'tls_self_signed_cert')).toHaveLength(1);
    expect(hub.fleetStore?.baseUrl()).toBe('https://ops.example.net:18427');
  });

  it('issues certificates for every hub address, its host name, the host gateway and localhost', () => {
    const request = resourcesOf(synth, 'tls_cert_request')[0]!;
    expect(request.dns_names.sort()).toEqual(['host.docker.internal', 'localhost', 'ops', 'ops.example.net']);
    expect(request.ip_addresses.sort()).toEqual(['127.0.0.1', '192.0.2.7']);
  });

  it('outputs the URL, CA and users; passwords only as sensitive outputs', () => {
    expect(Object.keys(synth.output ?? {}).filter((name) => !name.startsWith('cross-stack')).sort()).toEqual([
      'fleet_store_reader_password',
      'fleet_store_reader_username',
      'fleet_store_url',
      'fleet_store_writer_password',
      'fleet_store_writer_username',
      'hub_ca_certificate',
    ]);
    expect(synth.output!.fleet_store_writer_password!.sensitive).toBe(true);
    expect(synth.output!.fleet_store_reader_password!.sensitive).toBe(true);
    expect(synth.output!.fleet_store_url!.value).toBe('https://ops.example.net:18427');
  });

  it('with secrets from variables: four sensitive variables, no generated password', () => {
    const withVariables = synthStack(new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: ['ops.example.net'], secrets: 'variables' }));
    expect(Object.keys(withVariables.variable ?? {}).sort()).toEqual([
      'hub_fleet_store_reader_password',
      'hub_fleet_store_reader_password_bcrypt',
      'hub_fleet_store_writer_password',
      'hub_fleet_store_writer_password_bcrypt',
    ]);
    expect(resourcesOf(withVariables, 'random_password')).toEqual([]);
    expect(uploadedFile(containerNamed(withVariables, 'peekstack-vmauth'), '/etc/vmauth/auth.yml')).toContain('${var.hub_fleet_store_writer_password}');
  });

  it('without a fleet store: the network and CA only, for other shared services', () => {
    const bare = new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: ['ops.example.net'], fleetStore: false });
    expect(bare.fleetStore).toBeUndefined();
    expect(resourcesOf(synthStack(bare), 'docker_container')).toEqual([]);
  });

  it('refuses a hub without addresses', () => {
    expect(() => new HubStack(testApp(), 'hub', { hostName: 'ops', addresses: [] })).toThrow(/HubStack.addresses/);
  });
});
