/**
 * renovate.json keeps every image pin current: its regex manager, evaluated here the way Renovate
 * evaluates it (the file patterns chosen among the repository's files, each match string a JS
 * regular expression with the `g` flag and named groups depName / currentValue / currentDigest),
 * must find every image of DEFAULT_IMAGES (src/core/images.ts and the component folders' image.ts it
 * gathers), each pinned, and nothing else. A new image written in
 * another form, or without a tag, fails here instead of escaping updates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES } from '../src/index';

const REPO = resolve(__dirname, '..');

interface RegexManager {
  readonly customType: string;
  readonly managerFilePatterns: readonly string[];
  readonly matchStrings: readonly string[];
  readonly datasourceTemplate?: string;
}

interface RenovateConfig {
  readonly customManagers?: readonly RegexManager[];
  readonly packageRules?: readonly Record<string, unknown>[];
}

const config = JSON.parse(readFileSync(join(REPO, 'renovate.json'), 'utf8')) as RenovateConfig;

/** A Renovate file pattern: `/regex/` is a regular expression, anything else a path (minimatch globs are not used here). */
function filePattern(pattern: string): (path: string) => boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex !== null) {
    const compiled = new RegExp(regex[1], regex[2]);
    return (path) => compiled.test(path);
  }
  return (path) => path === pattern;
}

/** Every file under `dir`, relative to the repository, with `/` separators. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(REPO, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return found;
}

/** One dependency a regex manager extracts. */
interface Extracted {
  readonly file: string;
  readonly depName: string;
  readonly currentValue: string;
  readonly currentDigest?: string;
  readonly datasource?: string;
}

/** What the image managers extract from `text` of `file` (what Renovate would). */
function extract(managers: readonly RegexManager[], file: string, text: string): Extracted[] {
  const found: Extracted[] = [];
  for (const manager of managers) {
    if (!manager.managerFilePatterns.some((pattern) => filePattern(pattern)(file))) continue;
    for (const matchString of manager.matchStrings) {
      for (const match of text.matchAll(new RegExp(matchString, 'g'))) {
        const groups = match.groups ?? {};
        found.push({ file, depName: groups.depName, currentValue: groups.currentValue, currentDigest: groups.currentDigest, datasource: manager.datasourceTemplate });
      }
    }
  }
  return found;
}

/** The image reference an extraction stands for, as written in the source. */
const reference = (dep: Extracted) => `${dep.depName}:${dep.currentValue}${dep.currentDigest ? `@${dep.currentDigest}` : ''}`;

/** Whether an image reference is pinned: an explicit tag other than `latest`, or a digest. */
function isPinned(image: string): boolean {
  const [name, digest] = image.split('@');
  const lastPart = name.split('/').pop() ?? '';
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
  return digest !== undefined ? /^sha256:[a-f0-9]{64}$/.test(digest) : tag !== undefined && tag !== '' && tag !== 'latest';
}

/** What is wrong between the images and the extractions (empty when every image is matched once, and nothing else). */
function coverageProblems(images: readonly string[], extracted: readonly Extracted[]): string[] {
  const problems: string[] = [];
  for (const image of images) {
    if (!isPinned(image)) problems.push(`${image}: not pinned (an explicit tag other than latest, or a digest)`);
    const matches = extracted.filter((dep) => reference(dep) === image);
    if (matches.length !== 1) problems.push(`${image}: matched ${matches.length} times by renovate.json's image manager, expected once`);
  }
  for (const dep of extracted) {
    if (!images.includes(reference(dep))) problems.push(`${dep.file}: the manager extracts ${reference(dep)}, which is no image of DEFAULT_IMAGES`);
  }
  return problems;
}

const imageManagers = (config.customManagers ?? []).filter((manager) => manager.customType === 'regex' && manager.datasourceTemplate === 'docker');
const imageFiles = filesUnder(join(REPO, 'src')).filter((file) => imageManagers.some((m) => m.managerFilePatterns.some((p) => filePattern(p)(file))));
const extracted = imageFiles.flatMap((file) => extract(imageManagers, file, readFileSync(join(REPO, file), 'utf8')));
const images = Object.values(DEFAULT_IMAGES) as string[];

describe('renovate.json', () => {
  it('has a regex manager for docker images whose file pattern selects the file holding DEFAULT_IMAGES', () => {
    expect(imageManagers.length).toBeGreaterThan(0);
    const holders = imageFiles.filter((file) => /export const DEFAULT_IMAGES\b/.test(readFileSync(join(REPO, file), 'utf8')));
    expect(holders, `files under src/ the image manager selects: ${imageFiles.join(', ') || 'none'}`).toHaveLength(1);
  });

  it('every image in DEFAULT_IMAGES is pinned and extracted exactly once, with nothing else extracted', () => {
    expect(images.length).toBeGreaterThanOrEqual(10);
    expect(coverageProblems(images, extracted)).toEqual([]);
    for (const dep of extracted) {
      expect(dep.depName, reference(dep)).toMatch(/^[a-z0-9]/);
      expect(dep.currentValue, reference(dep)).not.toBe('latest');
    }
  });

  it('the check catches an image written so the manager misses it, an unpinned image, and a stray match', () => {
    // The gatherer's file with two more images written in it; the folders' image.ts as they are.
    const file = imageFiles.find((candidate) => /export const DEFAULT_IMAGES\b/.test(readFileSync(join(REPO, candidate), 'utf8')))!;
    const text = `${readFileSync(join(REPO, file), 'utf8')}\nconst more = {\n  doubleQuoted: "example/exporter:1.0.0",\n  unpinned: 'example/other',\n};\n`;
    const withMore = [...images, 'example/exporter:1.0.0', 'example/other'];
    const problems = coverageProblems(withMore, [...extracted.filter((dep) => dep.file !== file), ...extract(imageManagers, file, text)]);
    expect(problems).toEqual([
      'example/exporter:1.0.0: matched 0 times by renovate.json\'s image manager, expected once',
      'example/other: not pinned (an explicit tag other than latest, or a digest)',
      'example/other: matched 0 times by renovate.json\'s image manager, expected once',
    ]);
    const stray = coverageProblems(images, [...extracted, { file, depName: 'example/stray', currentValue: '2.0' }]);
    expect(stray).toEqual([`${file}: the manager extracts example/stray:2.0, which is no image of DEFAULT_IMAGES`]);
  });

  it('reads a digest after the tag, as Renovate would for a tag+digest pin', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const [dep] = extract(imageManagers, imageFiles[0], `\n  prometheus: 'prom/prometheus:v3.5.5@${digest}',\n`);
    expect(dep).toMatchObject({ depName: 'prom/prometheus', currentValue: 'v3.5.5', currentDigest: digest });
  });

  it('groups the fleet store with its vmauth, so one release moves both', () => {
    const rule = (config.packageRules ?? []).find((r) => (r.matchPackageNames as string[] | undefined)?.includes('victoriametrics/vmauth'));
    expect(rule?.groupName).toBeDefined();
    expect(rule?.matchPackageNames).toContain('victoriametrics/victoria-metrics');
  });
});
