import { FleetFile } from './schema';

type Path = (string | number)[];

function get(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** Where a host's effective setting was written: the host, else `defaults`, else the host entry itself. */
export function origin(file: FleetFile, hostIndex: number, setting: Path): Path {
  if (get(file.hosts[hostIndex], setting) !== undefined) return ['hosts', hostIndex, ...setting];
  if (get(file.defaults, setting) !== undefined) return ['defaults', ...setting];
  return ['hosts', hostIndex];
}
