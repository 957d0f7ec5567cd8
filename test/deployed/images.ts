/**
 * The images the synthesized stacks name, built offline (`FROM scratch`) from the Debian binaries in
 * `.tools/`, laid out like the upstream images, and tagged with the exact names the stacks'
 * `docker_image` resources pin (read from the synthesized cdk.tf.json, never written here).
 *
 * Upstream layouts followed (their Dockerfiles):
 * - prom/prometheus: /bin/prometheus, /bin/promtool, /etc/prometheus/prometheus.yml, /prometheus
 *   owned by nobody, USER nobody, WORKDIR /prometheus, ENTRYPOINT /bin/prometheus, CMD config +
 *   tsdb path; busybox base (so /bin/sh exists).
 * - prom/node-exporter: /bin/node_exporter, USER nobody, ENTRYPOINT /bin/node_exporter.
 * - prom/blackbox-exporter: /bin/blackbox_exporter, /etc/blackbox_exporter/config.yml, USER
 *   blackbox_exporter (uid 6170, group root), ENTRYPOINT + CMD --config.file.
 * - prom/alertmanager: /bin/alertmanager, /bin/amtool, /etc/alertmanager and /alertmanager owned by
 *   nobody, USER nobody, WORKDIR /alertmanager, ENTRYPOINT + CMD config + storage path.
 * - victoriametrics/victoria-metrics, victoriametrics/vmauth, victoriametrics/vmalert: /victoria-metrics-prod,
 *   /vmauth-prod, /vmalert-prod
 *   as ENTRYPOINT, root.
 * - hubblo/scaphandre: /usr/local/bin/scaphandre as ENTRYPOINT, WORKDIR /app, root. Difference: this
 *   machine's kernel has no module support, so no /proc/modules, on which Scaphandre 1.0.2 panics;
 *   /usr/local/bin/scaphandre runs the real binary under proot with a modules file bound there.
 * Stand-ins where no binary exists (see docs/deployed-tests.md for what they do not prove):
 * - ghcr.io/google/cadvisor: busybox httpd serving cAdvisor's golden exposition (timestamps stripped)
 *   at :<--port>/metrics, /healthz, upstream's ENTRYPOINT path /usr/bin/cadvisor and HEALTHCHECK.
 * - grafana/grafana: Node serving HTTPS with the uploaded certificate on :3000; exits when a
 *   provisioning file does not parse or names a `$__file{}` it cannot read. Upstream's user 472,
 *   /run.sh, GF_PATHS_*, `grafana cli ... admin reset-admin-password --password-from-stdin`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import * as path from 'node:path';
import { stripTimestamps, CADVISOR_FIXTURE } from '../real/cadvisor-fixture';
import { FAKE_MODULES_LINE } from '../real/rapl-simulator';
import { REPO_ROOT } from '../real/tools';
import { ENGINE_BIN, Lab } from './engines';

const TOOLS_ROOT = path.join(REPO_ROOT, '.tools', 'root');
const TOOLS_LIB = path.join(TOOLS_ROOT, 'usr', 'lib', 'x86_64-linux-gnu');

interface ImageSpec {
  /** Files: destination in the image -> source on this machine. */
  files: Record<string, string>;
  /** Extra text files: destination -> content (mode 0644, or 0755 when it starts with #!). */
  texts?: Record<string, string>;
  /** Binaries whose shared libraries (ldd) go into the image. */
  binaries: string[];
  dockerfile: string[];
}

/** Copies each library `ldd` lists for `binary` to the same path in `rootfs`. */
function copyLibraries(binary: string, rootfs: string): void {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: TOOLS_LIB } });
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (!m) {
      if (/not found/.test(line)) throw new Error(`${binary} needs ${line.trim()}`);
      continue;
    }
    let dest = m[1];
    // Libraries from .tools/root keep their Debian path in the image.
    if (dest.startsWith(TOOLS_ROOT)) dest = dest.slice(TOOLS_ROOT.length);
    const target = path.join(rootfs, dest);
    if (existsSync(target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(realpathSync(m[1]), target);
  }
}

const BUSYBOX_BASE = ['COPY rootfs/ /', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]'];
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\nblackbox_exporter:x:6170:0::/home/blackbox_exporter:/bin/false\ngrafana:x:472:0::/home/grafana:/bin/false\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\nnogroup:x:65534:\n';

function specs(): Record<string, (tag: string) => ImageSpec> {
  const bin = (p: string) => path.join(TOOLS_ROOT, 'usr', 'bin', p);
  const base = { '/bin/busybox': path.join(ENGINE_BIN, 'busybox') };
  const baseTexts = { '/etc/passwd': PASSWD, '/etc/group': GROUP };
  return {
    'prom/prometheus': () => ({
      files: { ...base, '/bin/prometheus': bin('prometheus'), '/bin/promtool': bin('promtool') },
      texts: { ...baseTexts, '/etc/prometheus/prometheus.yml': 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' },
      binaries: [bin('prometheus'), bin('promtool')],
      dockerfile: [
        ...BUSYBOX_BASE,
        'RUN mkdir -p /prometheus && chown -R nobody:nobody /etc/prometheus /prometheus && chmod g+w /prometheus',
        'USER nobody',
        'EXPOSE 9090',
        'VOLUME ["/prometheus"]',
        'WORKDIR /prometheus',
        'ENTRYPOINT ["/bin/prometheus"]',
        'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]',
      ],
    }),
    'prom/node-exporter': () => ({
      files: { ...base, '/bin/node_exporter': bin('prometheus-node-exporter') },
      texts: baseTexts,
      binaries: [bin('prometheus-node-exporter')],
      dockerfile: [...BUSYBOX_BASE, 'EXPOSE 9100', 'USER nobody', 'ENTRYPOINT ["/bin/node_exporter"]'],
    }),
    'prom/blackbox-exporter': () => ({
      files: { ...base, '/bin/blackbox_exporter': bin('prometheus-blackbox-exporter') },
      texts: { ...baseTexts, '/etc/blackbox_exporter/config.yml': 'modules:\n  http_2xx:\n    prober: http\n' },
      binaries: [bin('prometheus-blackbox-exporter')],
      dockerfile: [...BUSYBOX_BASE, 'EXPOSE 9115', 'USER blackbox_exporter', 'ENTRYPOINT ["/bin/blackbox_exporter"]', 'CMD ["--config.file=/etc/blackbox_exporter/config.yml"]'],
    }),
    'prom/alertmanager': () => ({
      files: { ...base, '/bin/alertmanager': bin('prometheus-alertmanager'), '/bin/amtool': bin('amtool') },
      texts: { ...baseTexts, '/etc/alertmanager/alertmanager.yml': 'route:\n  receiver: none\nreceivers:\n  - name: none\n' },
      binaries: [bin('prometheus-alertmanager'), bin('amtool')],
      dockerfile: [
        ...BUSYBOX_BASE,
        // Debian's build reads its templates and UI from here (upstream's are compiled in).
        'COPY share/ /usr/share/prometheus/alertmanager/',
        'RUN mkdir -p /alertmanager && chown -R nobody:nobody /etc/alertmanager /alertmanager',
        'USER nobody',
        'EXPOSE 9093',
        'VOLUME ["/alertmanager"]',
        'WORKDIR /alertmanager',
        'ENTRYPOINT ["/bin/alertmanager"]',
        'CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]',
      ],
    }),
    'victoriametrics/victoria-metrics': () => ({
      files: { ...base, '/victoria-metrics-prod': bin('victoria-metrics') },
      texts: baseTexts,
      binaries: [bin('victoria-metrics')],
      dockerfile: [...BUSYBOX_BASE, 'EXPOSE 8428', 'ENTRYPOINT ["/victoria-metrics-prod"]'],
    }),
    'victoriametrics/vmauth': () => ({
      files: { ...base, '/vmauth-prod': bin('vmauth') },
      texts: baseTexts,
      binaries: [bin('vmauth')],
      dockerfile: [...BUSYBOX_BASE, 'EXPOSE 8427', 'ENTRYPOINT ["/vmauth-prod"]'],
    }),
    'victoriametrics/vmalert': () => ({
      files: { ...base, '/vmalert-prod': bin('vmalert') },
      texts: baseTexts,
      binaries: [bin('vmalert')],
      dockerfile: [...BUSYBOX_BASE, 'EXPOSE 8880', 'ENTRYPOINT ["/vmalert-prod"]'],
    }),
    'hubblo/scaphandre': () => ({
      files: { ...base, '/usr/local/lib/scaphandre/scaphandre': bin('scaphandre'), '/usr/local/lib/scaphandre/proot': bin('proot') },
      texts: {
        ...baseTexts,
        '/usr/local/lib/scaphandre/modules': `${FAKE_MODULES_LINE}\n`,
        '/usr/local/bin/scaphandre':
          '#!/bin/sh\n# Test image: this kernel has no /proc/modules (no module support); Scaphandre 1.0.2 panics without it.\n' +
          'PROOT_NO_SECCOMP=1 exec /usr/local/lib/scaphandre/proot -b /usr/local/lib/scaphandre/modules:/proc/modules /usr/local/lib/scaphandre/scaphandre "$@"\n',
      },
      binaries: [bin('scaphandre'), bin('proot')],
      dockerfile: [...BUSYBOX_BASE, 'RUN mkdir -p /app /tmp && chmod 1777 /tmp', 'WORKDIR /app', 'ENTRYPOINT ["/usr/local/bin/scaphandre"]'],
    }),
    'ghcr.io/google/cadvisor': () => ({
      files: { ...base },
      texts: {
        ...baseTexts,
        '/www/metrics': stripTimestamps(readFileSync(CADVISOR_FIXTURE, 'utf8')),
        '/www/healthz': 'ok\n',
        '/usr/bin/cadvisor':
          '#!/bin/sh\n# Stand-in for cAdvisor (no binary for this machine): serves its golden exposition on --port.\n' +
          'port=8080\nfor a in "$@"; do case "$a" in --port=*|-port=*) port="${a#*=}" ;; esac; done\n' +
          'exec /bin/httpd -f -p "$port" -h /www\n',
      },
      binaries: [],
      dockerfile: [
        ...BUSYBOX_BASE,
        'EXPOSE 8080',
        'HEALTHCHECK --interval=30s --timeout=3s CMD wget --quiet --tries=1 --spider http://localhost:8080/healthz || exit 1',
        'ENTRYPOINT ["/usr/bin/cadvisor", "-logtostderr"]',
      ],
    }),
    'grafana/grafana': () => ({
      files: { ...base, '/usr/share/grafana/stand-in/node': process.execPath },
      texts: {
        ...baseTexts,
        '/etc/grafana/grafana.ini': '; stand-in\n',
        '/run.sh': '#!/bin/sh\nexec /usr/share/grafana/stand-in/node /usr/share/grafana/stand-in/server.js\n',
        '/usr/share/grafana/bin/grafana': '#!/bin/sh\nexec /usr/share/grafana/stand-in/node /usr/share/grafana/stand-in/cli.js "$@"\n',
        '/usr/share/grafana/stand-in/server.js': GRAFANA_SERVER,
        '/usr/share/grafana/stand-in/cli.js': GRAFANA_CLI,
      },
      binaries: [process.execPath],
      dockerfile: [
        ...BUSYBOX_BASE,
        'COPY yaml/ /usr/share/grafana/stand-in/node_modules/yaml/',
        'ENV PATH="/usr/share/grafana/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" GF_PATHS_CONFIG="/etc/grafana/grafana.ini" GF_PATHS_DATA="/var/lib/grafana" GF_PATHS_HOME="/usr/share/grafana" GF_PATHS_LOGS="/var/log/grafana" GF_PATHS_PLUGINS="/var/lib/grafana/plugins" GF_PATHS_PROVISIONING="/etc/grafana/provisioning"',
        'RUN mkdir -p /var/lib/grafana/plugins /var/log/grafana /etc/grafana/provisioning/datasources /etc/grafana/provisioning/dashboards && chown -R 472:0 /var/lib/grafana /var/log/grafana /etc/grafana && chmod -R 777 /var/lib/grafana /var/log/grafana',
        'WORKDIR /usr/share/grafana',
        'USER 472',
        'EXPOSE 3000',
        'ENTRYPOINT ["/run.sh"]',
      ],
    }),
  };
}

/** The Grafana stand-in's server (runs inside the image with the image's Node). */
const GRAFANA_SERVER = String.raw`
// Stand-in for Grafana: what the deployed test can check of it, nothing more.
const fs = require('fs'), path = require('path'), https = require('https');
const YAML = require('yaml');
const env = process.env;
const die = (msg) => { console.error('logger=provisioning level=error msg="' + msg + '"'); process.exit(1); };
const prov = env.GF_PATHS_PROVISIONING || '/etc/grafana/provisioning';
const datasources = [];
for (const kind of ['datasources', 'dashboards', 'alerting', 'plugins']) {
  const dir = path.join(prov, kind);
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const file = path.join(dir, f);
    let doc;
    try { doc = YAML.parse(fs.readFileSync(file, 'utf8')); } catch (e) { die('failed to parse ' + file + ': ' + e.message); }
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/\$__file\{([^}]*)\}/g)) {
      try { fs.readFileSync(m[1]); } catch (e) { die(file + ': $__file{' + m[1] + '}: ' + e.message); }
    }
    if (kind === 'datasources') for (const d of doc.datasources || []) datasources.push({ name: d.name, uid: d.uid, url: d.url, type: d.type, isDefault: !!d.isDefault, basicAuthUser: d.basicAuthUser, secure: d.secureJsonData || {}, tlsAuthWithCACert: !!(d.jsonData || {}).tlsAuthWithCACert });
    if (kind === 'dashboards') for (const p of doc.providers || []) {
      const dir2 = p.options && p.options.path;
      for (const j of fs.readdirSync(dir2).filter((x) => x.endsWith('.json'))) {
        try { JSON.parse(fs.readFileSync(path.join(dir2, j), 'utf8')); } catch (e) { die('dashboard ' + j + ': ' + e.message); }
      }
    }
  }
}
const dataDir = env.GF_PATHS_DATA || '/var/lib/grafana';
const db = path.join(dataDir, 'grafana.db');
if (!fs.existsSync(db)) {
  const pw = env.GF_SECURITY_ADMIN_PASSWORD__FILE ? fs.readFileSync(env.GF_SECURITY_ADMIN_PASSWORD__FILE, 'utf8').trim() : (env.GF_SECURITY_ADMIN_PASSWORD || 'admin');
  fs.writeFileSync(db, JSON.stringify({ adminUser: env.GF_SECURITY_ADMIN_USER || 'admin', adminPassword: pw }));
}
// Grafana is a Go TLS server. The health check's fallback, busybox wget's own TLS 1.2 client (this
// image has no curl), is accepted by Go's server but refused by Node's OpenSSL 3 at its default
// security level ("no shared cipher"); level 0 makes the stand-in answer as Go does.
const server = https.createServer({ ciphers: 'DEFAULT:@SECLEVEL=0', cert: fs.readFileSync(env.GF_SERVER_CERT_FILE), key: fs.readFileSync(env.GF_SERVER_CERT_KEY) }, (req, res) => {
  const state = JSON.parse(fs.readFileSync(db, 'utf8'));
  if (req.url === '/api/health') { res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify({ database: 'ok', version: 'stand-in' })); }
  const auth = Buffer.from(String(req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
  if (auth !== state.adminUser + ':' + state.adminPassword) { res.statusCode = 401; return res.end('{"message":"Unauthorized"}'); }
  if (req.url === '/api/datasources') { res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify(datasources.map(({ secure, ...d }) => d))); }
  // What Grafana's Prometheus datasource does on "Save & test": a query through the datasource's
  // URL with its basic auth and CA (host name verified), from inside this container.
  if (req.url === '/api/peekstack/datasource-check') {
    const file = (v) => { const m = /^\$__file\{(.*)\}$/.exec(v || ''); return m ? fs.readFileSync(m[1], 'utf8').replace(/\r?\n$/, '') : v; };
    return Promise.all(datasources.map((d) => new Promise((resolve) => {
      const u = new URL('/api/v1/query?query=up', d.url);
      const r = https.get(u, {
        ca: d.tlsAuthWithCACert ? file(d.secure.tlsCACert) : undefined,
        headers: { authorization: 'Basic ' + Buffer.from(d.basicAuthUser + ':' + file(d.secure.basicAuthPassword)).toString('base64') },
        timeout: 5000,
      }, (a) => { let b = ''; a.on('data', (c) => (b += c)); a.on('end', () => resolve({ name: d.name, url: d.url, status: a.statusCode, body: b.slice(0, 200) })); });
      r.on('error', (e) => resolve({ name: d.name, url: d.url, status: 0, error: e.message }));
      r.on('timeout', () => r.destroy(new Error('timeout')));
    }))).then((out) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(out)); });
  }
  res.statusCode = 404; res.end('{}');
});
if ((env.GF_SERVER_PROTOCOL || 'http') !== 'https') die('stand-in serves https only');
server.listen(Number(env.GF_SERVER_HTTP_PORT || 3000), () => console.log('logger=http.server msg="HTTP Server Listen" protocol=https port=' + (env.GF_SERVER_HTTP_PORT || 3000)));
`;

/** `grafana cli admin reset-admin-password --password-from-stdin`: fails before the first start, as Grafana's does without its database. */
const GRAFANA_CLI = String.raw`
const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
if (!(args.includes('admin') && args.includes('reset-admin-password') && args.includes('--password-from-stdin'))) { console.error('stand-in grafana cli: unsupported ' + args.join(' ')); process.exit(2); }
const db = path.join(process.env.GF_PATHS_DATA || '/var/lib/grafana', 'grafana.db');
if (!fs.existsSync(db)) { console.error('no database yet'); process.exit(1); }
const state = JSON.parse(fs.readFileSync(db, 'utf8'));
state.adminPassword = fs.readFileSync(0, 'utf8').trim();
fs.writeFileSync(db, JSON.stringify(state));
`;

function writeContext(dir: string, spec: ImageSpec): void {
  const rootfs = path.join(dir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  for (const [dest, src] of Object.entries(spec.files)) {
    const target = path.join(rootfs, dest);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(realpathSync(src), target);
    chmodSync(target, 0o755);
  }
  for (const [dest, content] of Object.entries(spec.texts ?? {})) {
    const target = path.join(rootfs, dest);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, content.startsWith('#!') ? 0o755 : 0o644);
  }
  for (const b of spec.binaries) copyLibraries(b, rootfs);
  mkdirSync(path.join(rootfs, 'tmp'), { recursive: true });
  chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  if (!existsSync(path.join(rootfs, 'lib64'))) mkdirSync(path.join(rootfs, 'lib64'));
  void symlinkSync;
  writeFileSync(path.join(dir, 'Dockerfile'), ['FROM scratch', ...spec.dockerfile, ''].join('\n'));
}

/** The repository part of an image name (`prom/prometheus:v3.5.3` -> `prom/prometheus`). */
export function repositoryOf(name: string): string {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? name.slice(0, at) : name;
}

/** Runs the engine's docker CLI against `socket`. */
export function dockerCli(socket: string, args: readonly string[], opts: { input?: Buffer; timeoutMs?: number } = {}): string {
  return execFileSync(path.join(ENGINE_BIN, 'docker'), ['-H', `unix://${socket}`, ...args], {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    input: opts.input,
    timeout: opts.timeoutMs ?? 180_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false', PATH: `${ENGINE_BIN}:${process.env.PATH}` },
  });
}

/**
 * Builds every image `names` lists (once, on the first engine), then loads them into the other
 * engines with docker save / load. Throws for a name whose repository has no recipe here.
 */
export function buildImages(lab: Lab, names: readonly string[]): { seconds: number } {
  const started = Date.now();
  const all = specs();
  const unique = [...new Set(names)];
  const first = lab.engines[0];
  for (const name of unique) {
    const make = all[repositoryOf(name)];
    if (!make) throw new Error(`no test image recipe for ${name} (repository ${repositoryOf(name)}); known: ${Object.keys(all).join(', ')}`);
    const dir = path.join(lab.dir, 'images', repositoryOf(name).replace(/[/:.]/g, '_'));
    writeContext(dir, make(name));
    if (repositoryOf(name) === 'prom/alertmanager') cpSync(path.join(TOOLS_ROOT, 'usr', 'share', 'prometheus', 'alertmanager'), path.join(dir, 'share'), { recursive: true });
    if (repositoryOf(name) === 'grafana/grafana') cpSync(path.join(REPO_ROOT, 'node_modules', 'yaml'), path.join(dir, 'yaml'), { recursive: true });
    dockerCli(first.socketPath, ['build', '-q', '-t', name, dir]);
  }
  const tar = path.join(lab.dir, 'images.tar');
  dockerCli(first.socketPath, ['save', '-o', tar, ...unique]);
  for (const e of lab.engines.slice(1)) dockerCli(e.socketPath, ['load', '-q', '-i', tar]);
  return { seconds: (Date.now() - started) / 1000 };
}
