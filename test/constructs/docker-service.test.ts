import { describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { DockerService, escapeTemplateSequences } from '../../src/constructs/docker-service';
import { containerNamed, synthConstructs, uploadedFile } from '../support/synth';

describe('DockerService', () => {
  it('renders a file given as a function at synthesis, with what was added after construction', () => {
    const lines: string[] = ['first'];
    const synth = synthConstructs((scope) => {
      const service = new DockerService(scope, 's', { image: 'example/x:1', containerName: 'x', component: 'x', files: [{ path: '/etc/x.conf', content: () => lines.join('\n') }] });
      lines.push('second');
      service.addFile({ path: '/etc/y.conf', content: 'y' });
    });
    const container = containerNamed(synth, 'x');
    expect(uploadedFile(container, '/etc/x.conf')).toBe('first\nsecond');
    expect(uploadedFile(container, '/etc/y.conf')).toBe('y');
  });

  it('keeps literal ${ and %{ of a rendered file literal for Terraform, and its tokens live', () => {
    const synth = synthConstructs((scope) => {
      const url = new TerraformVariable(scope, 'url', { type: 'string' }).stringValue;
      new DockerService(scope, 's', { image: 'example/x:1', containerName: 'x', component: 'x', files: [{ path: '/etc/x.conf', content: () => `regex: "\${1}" %{x} url: ${url}` }] });
    });
    const raw = containerNamed(synth, 'x').upload.find((u: { file: string }) => u.file === '/etc/x.conf').content;
    expect(raw).toBe('regex: "$${1}" %%{x} url: ${var.url}');
  });

  it('escapes only outside tokens', () => {
    expect(escapeTemplateSequences('a ${b} ${TfToken[TOKEN.1]} %{c}')).toBe('a $${b} ${TfToken[TOKEN.1]} %%{c}');
  });

  it('refuses a second file at the same path', () => {
    expect(() =>
      synthConstructs((scope) => {
        const service = new DockerService(scope, 's', { image: 'example/x:1', containerName: 'x', component: 'x', files: [{ path: '/etc/x.conf', content: 'a' }] });
        service.addFile({ path: '/etc/x.conf', content: 'b' });
      }),
    ).toThrow(/^x\.files: got "\/etc\/x\.conf"; expected a path no other uploaded file of this container uses$/);
  });
});
