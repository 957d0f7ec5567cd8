/**
 * A small Prometheus HTTP API client for `peekstack energy`: HTTPS verified against a given CA (or
 * the system's), basic auth, bounded requests, and failures turned into messages that say what is
 * wrong and what to do (never a stack trace).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { UsageError } from '../config/report';

/** How to reach a Prometheus (a collector's, or the fleet store's Prometheus-compatible API). */
export interface PrometheusConnection {
  /** Base URL, e.g. `https://web-1.example.net:19090` (a path prefix is kept). */
  readonly url: string;
  /** PEM of the CA to verify the server with. @default - the system's CAs */
  readonly caPem?: string;
  /** Basic-auth user. @default - no authentication */
  readonly username?: string;
  /** Basic-auth password. @default - no authentication */
  readonly password?: string;
  /** Per-request timeout. @default 15000 */
  readonly timeoutMs?: number;
}

/** A failure talking to Prometheus; `exitCode` 1 (the server side) unless said otherwise. */
export class EnergyQueryError extends Error {
  constructor(
    message: string,
    /** What kind of failure, for tests and scripts. */
    public readonly kind: 'unreachable' | 'tls' | 'unauthorized' | 'rate-limited' | 'http' | 'no-data',
  ) {
    super(message);
    this.name = 'EnergyQueryError';
  }
}

// Node's codes for certificate problems (node:tls / OpenSSL).
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|EPROTO|ERR_SSL|ERR_TLS/;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT']);

/** The parsed base URL; a UsageError (exit 2) when it is not an http(s) URL. */
export function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`peekstack energy: --prometheus ${JSON.stringify(url)}: not a URL; expected e.g. https://web-1.example.net:19090`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`peekstack energy: --prometheus ${JSON.stringify(url)}: expected an https:// (or http://) URL`);
  }
  return parsed;
}

/** What to do about a Prometheus's certificate failure. */
const PROMETHEUS_TLS_HINT = "Pass the CA that signed the server's certificate with --ca-file (a collector's is its Terraform output prometheus_ca_certificate), and use the host name the certificate was issued for.";

/** What an HTTP GET answered. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * GETs `url` with `headers`, verified against `caPem` (or the system's CAs) for https, bounded by
 * `timeoutMs`. One place for the request and for turning a failed connection into a message that
 * says what to do: the Prometheus API below and the carbon-intensity API use it.
 * @param where the server as named in messages (`https://host:port`): never the query, which may
 *   carry parameters the user did not write
 * @param tlsHint what to do about a certificate failure
 *   (@default pass the collector's CA with --ca-file)
 * @throws EnergyQueryError (unreachable, TLS) with a message for people
 */
export async function httpGet(url: URL, headers: Record<string, string>, where: string, timeoutMs: number, caPem?: string, tlsHint = PROMETHEUS_TLS_HINT): Promise<HttpAnswer> {
  const options: https.RequestOptions = { method: 'GET', headers, timeout: timeoutMs, ...(caPem ? { ca: caPem } : {}) };
  try {
    return await new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, options, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code ?? '');
    const detail = (error as Error).message;
    if (TLS_CODES.test(code) || /certificate|SSL|TLS/i.test(detail)) {
      throw new EnergyQueryError(
        `TLS failure talking to ${where}: ${detail}. ${tlsHint}`,
        'tls',
      );
    }
    if (UNREACHABLE_CODES.has(code)) {
      throw new EnergyQueryError(`cannot reach ${where} (${code}: ${detail}). Check the URL and port, and that the collector is running and reachable from here.`, 'unreachable');
    }
    throw new EnergyQueryError(`request to ${where} failed: ${detail}`, 'unreachable');
  }
}

/**
 * GETs `path` (with `params`) from the API and returns the parsed JSON body's `data`.
 * @throws EnergyQueryError with a message for people
 */
export async function getApi<T>(connection: PrometheusConnection, path: string, params: Record<string, string>): Promise<T> {
  const base = parseBaseUrl(connection.url);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}?${new URLSearchParams(params)}`, base);
  const where = `${base.protocol}//${base.host}`;
  const headers: Record<string, string> = {};
  if (connection.username !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${connection.username}:${connection.password ?? ''}`).toString('base64')}`;
  }
  const answer = await httpGet(url, headers, where, connection.timeoutMs ?? 15_000, connection.caPem);
  if (answer.status === 401) {
    throw new EnergyQueryError(
      `${where} refused the credentials (HTTP 401). Check --username and --password-file (a collector's are its Terraform outputs prometheus_username and prometheus_password).`,
      'unauthorized',
    );
  }
  if (answer.status === 400 && /HTTP request to an HTTPS server/i.test(answer.body)) {
    throw new EnergyQueryError(`${where} serves HTTPS: use https:// in --prometheus.`, 'http');
  }
  let parsed: { status?: string; data?: T; error?: string };
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    throw new EnergyQueryError(`${where}${path} answered HTTP ${answer.status} with something that is not the Prometheus API: ${answer.body.slice(0, 200)}`, 'http');
  }
  if (answer.status !== 200 || parsed.status !== 'success' || parsed.data === undefined) {
    throw new EnergyQueryError(`${where}${path} answered HTTP ${answer.status}: ${parsed.error ?? answer.body.slice(0, 200)}`, 'http');
  }
  return parsed.data;
}

/** One series of an instant query returning a range vector (raw samples). */
export interface RawSeries {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

/**
 * The raw samples of `selector` in `(end - seconds, end]`, through an instant query of a range
 * vector (`selector[Ns]` at `end`): every stored sample with its own timestamp, no resampling.
 */
export async function rawSamples(connection: PrometheusConnection, selector: string, end: number, seconds: number): Promise<RawSeries[]> {
  const data = await getApi<{ resultType: string; result: RawSeries[] }>(connection, '/api/v1/query', {
    query: `${selector}[${Math.ceil(seconds)}s]`,
    time: end.toFixed(3),
  });
  return data.resultType === 'matrix' ? data.result : [];
}
