/**
 * A small client for a Prometheus served over HTTPS with basic auth, as the collector deploys it.
 * It connects to a loopback IP but verifies the certificate for the name `localhost` against the
 * test CA, as Prometheus does for its own scrape (fetch() cannot take a CA in Node 20 without
 * undici, hence node:https).
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** How to reach one Prometheus. */
export interface PrometheusEndpoint {
  /** Loopback IP Prometheus listens on. */
  readonly address: string;
  readonly port: number;
  /** PEM of the CA that signed its certificate. */
  readonly caPem: string;
  /** Name checked in the certificate. */
  readonly serverName: string;
  readonly username: string;
  readonly password: string;
}

/** A raw HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Credentials for one request: the endpoint's (default), others, or none. */
export type Auth = 'endpoint' | 'none' | { readonly username: string; readonly password: string };

/** GET `path` over HTTPS (CA-verified) with the chosen credentials. */
export function httpsGet(endpoint: PrometheusEndpoint, path: string, auth: Auth = 'endpoint', timeoutMs = 5000): Promise<HttpAnswer> {
  const credentials = auth === 'endpoint' ? endpoint : auth === 'none' ? undefined : auth;
  const headers: Record<string, string> = credentials
    ? { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` }
    : {};
  return answer(
    https.request({ host: endpoint.address, port: endpoint.port, path, headers, ca: endpoint.caPem, servername: endpoint.serverName, timeout: timeoutMs }),
  );
}

/** POST `body` to `path` over HTTPS (CA-verified) with the chosen credentials. */
export function httpsPost(endpoint: PrometheusEndpoint, path: string, body: Buffer, headers: Record<string, string>, auth: Auth = 'endpoint', timeoutMs = 5000): Promise<HttpAnswer> {
  const credentials = auth === 'endpoint' ? endpoint : auth === 'none' ? undefined : auth;
  const all: Record<string, string> = { ...headers, 'Content-Length': String(body.length) };
  if (credentials) all.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const req = https.request({ method: 'POST', host: endpoint.address, port: endpoint.port, path, headers: all, ca: endpoint.caPem, servername: endpoint.serverName, timeout: timeoutMs });
  const answered = answer(req, false);
  req.end(body);
  return answered;
}

/** GET `path` in plain HTTP (to show the TLS port refuses it). */
export function plainHttpGet(address: string, port: number, path: string, timeoutMs = 5000): Promise<HttpAnswer> {
  return answer(http.request({ host: address, port, path, timeout: timeoutMs }));
}

function answer(req: http.ClientRequest, end = true): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    if (end) req.end();
  });
}

/** One series of a query result (instant: `value`; range: `values`). */
export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

/** The `data` of a successful query. */
export interface QueryData {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly result: PromSeries[] | [number, string];
}

/** Outcome of a query: data, or the error Prometheus gave (bad PromQL is an error, not an exception). */
export type QueryOutcome = { readonly ok: true; readonly data: QueryData } | { readonly ok: false; readonly error: string };

/** Runs a query through the HTTP API: instant (`time`) or range (`range`). */
export async function query(
  endpoint: PrometheusEndpoint,
  expr: string,
  opts: { time?: number; range?: { start: number; end: number; stepSeconds: number } } = {},
): Promise<QueryOutcome> {
  const params = new URLSearchParams({ query: expr });
  let path = '/api/v1/query';
  if (opts.range) {
    path = '/api/v1/query_range';
    params.set('start', String(opts.range.start));
    params.set('end', String(opts.range.end));
    params.set('step', String(opts.range.stepSeconds));
  } else if (opts.time !== undefined) {
    params.set('time', String(opts.time));
  }
  const res = await httpsGet(endpoint, `${path}?${params}`);
  let parsed: { status?: string; data?: QueryData; error?: string; errorType?: string };
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return { ok: false, error: `HTTP ${res.status}: ${res.body.slice(0, 300)}` };
  }
  if (res.status !== 200 || parsed.status !== 'success' || !parsed.data) {
    return { ok: false, error: `HTTP ${res.status} ${parsed.errorType ?? ''}: ${parsed.error ?? res.body.slice(0, 300)}` };
  }
  return { ok: true, data: parsed.data };
}

/** The series of a vector/matrix result (empty for scalars and strings). */
export function seriesOf(outcome: QueryOutcome): PromSeries[] {
  if (!outcome.ok) return [];
  const { resultType, result } = outcome.data;
  return resultType === 'vector' || resultType === 'matrix' ? (result as PromSeries[]) : [];
}

/** Runs an instant query (now, or at `time` in Unix seconds) and returns its single value; throws when it errs or has not exactly one series. */
export async function scalarValue(endpoint: PrometheusEndpoint, expr: string, time?: number): Promise<number> {
  const outcome = await query(endpoint, expr, time === undefined ? {} : { time });
  if (!outcome.ok) throw new Error(`query ${expr} failed: ${outcome.error}`);
  const series = seriesOf(outcome);
  if (outcome.data.resultType === 'scalar') return Number((outcome.data.result as [number, string])[1]);
  if (series.length !== 1 || !series[0]!.value) {
    throw new Error(`query ${expr}: expected one series, got ${series.length}: ${JSON.stringify(series).slice(0, 500)}`);
  }
  return Number(series[0]!.value[1]);
}
