import { describe, expect, it } from 'vitest';
import { parseFleet } from '../../src/config';
import { DEFAULT_IMAGES } from '../../src/core/images';
import { onlyProblem, VALID_FLEET } from './helpers';

/** `exporters.dcgm` (the GPU add-on), on host db-1 of the base fleet. */
const withDcgm = (value: string) => VALID_FLEET.replace('    ports:\n      nodeExporter: 9101\n', `    ports:\n      nodeExporter: 9101\n    exporters:\n      dcgm: ${value}\n`);

describe('fleet file: exporters.dcgm', () => {
  it('is off by default and turned on per host', () => {
    const fleet = parseFleet(withDcgm('{ enabled: true }'), 'fleet.yaml');
    expect(fleet.hosts.map((h) => h.exporters.dcgm)).toEqual([
      { enabled: false, image: DEFAULT_IMAGES.dcgmExporter },
      { enabled: true, image: DEFAULT_IMAGES.dcgmExporter },
      { enabled: false, image: DEFAULT_IMAGES.dcgmExporter },
    ]);
  });

  it('refuses a non-boolean enabled, at its place', () => {
    expect(onlyProblem(withDcgm('{ enabled: yes-please }'))).toMatchObject({ line: 14, path: 'hosts[1].exporters.dcgm.enabled', found: '"yes-please"', allowed: 'true or false' });
  });

  it('refuses an unpinned image', () => {
    const problem = onlyProblem(withDcgm('{ enabled: true, image: "nvcr.io/nvidia/k8s/dcgm-exporter:latest" }'));
    expect(problem).toMatchObject({ line: 14, path: 'hosts[1].exporters.dcgm.image' });
    expect(problem.allowed).toMatch(/pinned to a version/);
  });

  it('refuses an unknown key, listing the allowed ones', () => {
    expect(onlyProblem(withDcgm('{ gpus: all }'))).toMatchObject({ line: 14, path: 'hosts[1].exporters.dcgm.gpus', allowed: 'one of the keys enabled, image' });
  });
});
