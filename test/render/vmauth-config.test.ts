import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderVmauthConfig, VMAUTH_READ_PATHS, VMAUTH_WRITE_PATHS } from '../../src/render/vmauth-config';
import { toolPath } from '../real/tools';

const dir = mkdtempSync(join(tmpdir(), 'peekstack-vmauth-'));

/** `vmauth -dryRun`: the real binary parses the file (users, regexes, URLs) and exits. */
function vmauthCheck(text: string): { code: number | null; output: string } {
  const file = join(dir, `auth-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  const result = spawnSync(toolPath('vmauth'), [`-auth.config=${file}`, '-dryRun'], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vmauth auth config', () => {
  const rendered = renderVmauthConfig({
    backendUrl: 'http://peekstack-victoria-metrics:8428',
    users: [
      { username: 'peekstack-writer', password: 'w-Abc123', paths: VMAUTH_WRITE_PATHS },
      { username: 'peekstack-reader', password: 'r-Abc123', paths: VMAUTH_READ_PATHS },
    ],
  });

  it('passes vmauth -dryRun (1.145), two users loaded', () => {
    const check = vmauthCheck(rendered);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/loaded information about 2 users/);
  });

  it('is refused by vmauth when a path is not a valid regex (the check bites)', () => {
    const broken = vmauthCheck(rendered.replace('"/api/v1/write"', '"/api/v1/(write"'));
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/cannot build regexp/);
  });

  it('gives each user its own paths and no unauthorized_user', () => {
    const config = parse(rendered);
    expect(Object.keys(config)).toEqual(['users']);
    expect(config.users.map((user: { username: string }) => user.username)).toEqual(['peekstack-writer', 'peekstack-reader']);
  });
});
