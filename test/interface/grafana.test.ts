import { describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { Grafana, GrafanaPrometheusSource, GrafanaProps } from '../../src/interface/grafana';
import { synthConstructs } from '../support/synth';

/** A collector as Grafana sees it, the password a token as the constructs require. */
function build(source: Partial<GrafanaPrometheusSource> = {}, props: Partial<GrafanaProps> = {}) {
  return synthConstructs((scope) => {
    const password = new TerraformVariable(scope, 'password', { type: 'string', sensitive: true }).stringValue;
    new Grafana(scope, 'grafana', {
      sources: [{ hostName: 'a', url: 'https://a.example:19090', username: 'peekstack', password, caCertificatePem: 'CA PEM', scrapeIntervalSeconds: 15, ...source }],
      dashboards: [],
      ...props,
    });
  });
}

describe('Grafana bad input', () => {
  it('refuses a collector without a CA to verify it against', () => {
    expect(() => build({ caCertificatePem: '' })).toThrow(
      /^Grafana\.sources\[0\]\.caCertificatePem: got ""; expected the CA of host "a"'s Prometheus certificate \(or insecureSkipTlsVerify: true\)$/,
    );
  });

  it('refuses a collector without credentials', () => {
    expect(() => build({ password: '' })).toThrow(/^Grafana\.sources\[0\]\.password: got ""; expected the basic-auth password of host "a"'s Prometheus$/);
    expect(() => build({ username: '' })).toThrow(/^Grafana\.sources\[0\]\.username: got ""; expected a non-empty string/);
  });

  it('refuses a password written as a literal', () => {
    expect(() => build({ password: 'hunter2' })).toThrow(/^Grafana\.sources\[0\]\.password: got "<a literal secret, not shown>"/);
  });

  it('accepts a collector without a CA only with the explicit opt-out', () => {
    expect(() => build({ caCertificatePem: '' }, { insecureSkipTlsVerify: true })).not.toThrow();
  });
});
