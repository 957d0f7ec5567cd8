import { IConstruct } from 'constructs';
import { IAspect } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { PeekStackValidationError } from '../core/errors';
import { hardenContainer, HardeningProfile } from './hardening';
import { COMPONENT_LABEL } from '../core/labels';

/**
 * Cross-cutting policies as cdktf Aspects, applied with `Aspects.of(scope).add(...)` to a stack, a
 * collector, or the whole app. They visit every Docker image and container below the scope at
 * synthesis, PeekStack's and the user's alike.
 */

/** A registry host: `name[:port]` (a DNS name or IPv4, optional port), optionally followed by a path. */
const REGISTRY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Registries whose host is left out of an image reference (`prom/prometheus` is Docker Hub's). */
function splitRegistry(reference: string): { registry: string | undefined; path: string } {
  const [first, ...rest] = reference.split('/');
  // A first part with a dot or a port, or `localhost`, is a registry host (Docker's own rule).
  if (rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) return { registry: first, path: rest.join('/') };
  return { registry: undefined, path: reference };
}

/** Props of {@link RegistryMirror}. */
export interface RegistryMirrorProps {
  /** The mirror, `host[:port][/path]`, e.g. `mirror.example:5000` or `registry.lab/dockerhub`. */
  readonly registry: string;
}

/**
 * Pulls every image from a mirror, for air-gapped fleets: `prom/prometheus:v3.5.3` becomes
 * `mirror.example:5000/prom/prometheus:v3.5.3` and `ghcr.io/google/cadvisor:v0.53.0`
 * `mirror.example:5000/google/cadvisor:v0.53.0`: the repository path and the pinned tag (or
 * digest) are kept, the original registry host is replaced.
 */
export class RegistryMirror implements IAspect {
  public readonly registry: string;

  constructor(props: RegistryMirrorProps) {
    if (typeof props.registry !== 'string' || !REGISTRY.test(props.registry) || /^[a-z]+:\/\//.test(props.registry)) {
      throw new PeekStackValidationError('RegistryMirror.registry', props.registry, 'a registry host such as "mirror.example:5000" or "registry.lab/dockerhub" (no scheme, lower case)');
    }
    this.registry = props.registry.replace(/\/+$/, '');
  }

  /** The reference as pulled from the mirror. */
  public mirrored(reference: string): string {
    if (reference.startsWith(`${this.registry}/`)) return reference;
    return `${this.registry}/${splitRegistry(reference).path}`;
  }

  public visit(node: IConstruct): void {
    if (node instanceof Image && typeof node.nameInput === 'string') node.name = this.mirrored(node.nameInput);
  }
}

/**
 * Hardens every container below the scope that does not already say otherwise: PeekStack's own
 * containers carry their component's profile already (this changes nothing there unless a setting
 * was left unset), so this is for the user's own exporters.
 */
export class ContainerHardening implements IAspect {
  constructor(private readonly profile: HardeningProfile = { memoryLimitMegabytes: 256 }) {}

  public visit(node: IConstruct): void {
    if (node instanceof Container) hardenContainer(node, this.profile);
  }
}

/** Docker label names: lower-case reverse-DNS style, no PeekStack-reserved one. */
const LABEL_NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/** Adds Docker labels to every container below the scope (cost centre, owner, ...), keeping the ones it has. */
export class DockerLabels implements IAspect {
  private readonly labels: Readonly<Record<string, string>>;

  constructor(labels: Readonly<Record<string, string>>) {
    for (const [name, value] of Object.entries(labels)) {
      if (!LABEL_NAME.test(name) || name === COMPONENT_LABEL) {
        throw new PeekStackValidationError('DockerLabels', name, `label names of lower-case letters, digits, ".", "_" and "-" (not "${COMPONENT_LABEL}", which PeekStack sets)`);
      }
      if (typeof value !== 'string') throw new PeekStackValidationError(`DockerLabels.${name}`, value, 'a string');
    }
    this.labels = { ...labels };
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof Container)) return;
    const current = node.labelsInput;
    const existing = Array.isArray(current) ? [...current] : [];
    const added = Object.entries(this.labels)
      .filter(([name]) => !existing.some((label) => label.label === name))
      .map(([label, value]) => ({ label, value }));
    node.putLabels([...existing, ...added]);
  }
}
