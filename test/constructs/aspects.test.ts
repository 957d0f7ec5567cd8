import { describe, expect, it } from 'vitest';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ContainerHardening, DockerLabels, RegistryMirror } from '../../src/constructs/aspects';
import { Collector } from '../../src/collector/collector';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { containerNamed, resourcesOf } from '../support/synth';

function synthWith(apply: (stack: TerraformStack) => void) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'lab');
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  new Collector(stack, 'collector', { hostName: 'lab-1', addresses: ['lab-1.example'] });
  new Container(stack, 'mine', { name: 'mine', image: 'example/mine:2.1' });
  apply(stack);
  return JSON.parse(Testing.synth(stack, true));
}

describe('RegistryMirror', () => {
  it('pulls every image, PeekStack\'s and the user\'s, from the mirror, keeping each pinned tag', () => {
    const synth = synthWith((stack) => Aspects.of(stack).add(new RegistryMirror({ registry: 'mirror.example:5000' })));
    const images = resourcesOf(synth, 'docker_image').map((image) => image.name).sort();
    expect(images).toEqual(
      [
        `mirror.example:5000/${DEFAULT_IMAGES.prometheus}`,
        `mirror.example:5000/${DEFAULT_IMAGES.nodeExporter}`,
        // ghcr.io/google/cadvisor: the registry host is replaced, the path and tag kept.
        'mirror.example:5000/google/cadvisor:v0.54.0',
        `mirror.example:5000/${DEFAULT_IMAGES.scaphandre}`,
        `mirror.example:5000/${DEFAULT_IMAGES.blackboxExporter}`,
      ].sort(),
    );
  });

  it('keeps digests and paths of the mirror', () => {
    const mirror = new RegistryMirror({ registry: 'registry.lab/dockerhub' });
    expect(mirror.mirrored('prom/prometheus@sha256:' + 'a'.repeat(64))).toBe(`registry.lab/dockerhub/prom/prometheus@sha256:${'a'.repeat(64)}`);
    expect(mirror.mirrored('localhost:5000/x/y:1')).toBe('registry.lab/dockerhub/x/y:1');
    expect(mirror.mirrored('registry.lab/dockerhub/x:1')).toBe('registry.lab/dockerhub/x:1');
  });

  it.each(['https://mirror.example', 'Mirror.Example', 'mirror example', '', 'mirror.example:5000/'])('refuses %j, which is not a registry host', (registry) => {
    expect(() => new RegistryMirror({ registry })).toThrow(/^RegistryMirror\.registry: got .*; expected a registry host such as "mirror\.example:5000"/);
  });
});

describe('DockerLabels', () => {
  it('labels every container and keeps the component label', () => {
    const synth = synthWith((stack) => Aspects.of(stack).add(new DockerLabels({ 'org.example.team': 'energy', 'org.example.cost-centre': '42' })));
    for (const container of resourcesOf(synth, 'docker_container')) {
      expect(container.labels).toEqual(expect.arrayContaining([{ label: 'org.example.team', value: 'energy' }, { label: 'org.example.cost-centre', value: '42' }]));
    }
    expect(containerNamed(synth, 'peekstack-prometheus').labels).toContainEqual({ label: 'peekstack.component', value: 'prometheus' });
  });

  it('refuses the component label and malformed names', () => {
    expect(() => new DockerLabels({ 'peekstack.component': 'x' })).toThrow(/^DockerLabels: got "peekstack\.component"; expected label names/);
    expect(() => new DockerLabels({ 'Bad Name': 'x' })).toThrow(/^DockerLabels: got "Bad Name"/);
  });
});

describe('ContainerHardening', () => {
  it('hardens the user\'s container and leaves each PeekStack component\'s own profile as it is', () => {
    const plain = synthWith(() => undefined);
    const hardened = synthWith((stack) => Aspects.of(stack).add(new ContainerHardening({ memoryLimitMegabytes: 64 })));
    const mine = containerNamed(hardened, 'mine');
    expect(mine).toMatchObject({ memory: 64, memory_swap: 64, security_opts: ['no-new-privileges:true'], capabilities: { drop: ['ALL'] } });
    expect(containerNamed(plain, 'mine').memory).toBeUndefined();
    for (const name of ['peekstack-prometheus', 'peekstack-node-exporter', 'peekstack-cadvisor', 'peekstack-scaphandre']) {
      expect(containerNamed(hardened, name)).toEqual(containerNamed(plain, name));
    }
  });

  it('never drops capabilities of a privileged container', () => {
    const synth = synthWith((stack) => {
      new Container(stack, 'priv', { name: 'priv', image: 'example/priv:1', privileged: true });
      Aspects.of(stack).add(new ContainerHardening());
    });
    expect(containerNamed(synth, 'priv').capabilities).toBeUndefined();
  });

  it('refuses a memory limit under Docker\'s minimum', () => {
    expect(() => synthWith((stack) => Aspects.of(stack).add(new ContainerHardening({ memoryLimitMegabytes: 1 })))).toThrow(/ContainerHardening\.memoryLimitMegabytes: got 1; expected an integer of at least 6/);
  });
});
