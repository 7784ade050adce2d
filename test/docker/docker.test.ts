// No Docker engine runs here: this checks what can be checked without one. The Dockerfile's COPY
// sources exist (and are not excluded by .dockerignore), the runtime user is not root, the CMD runs
// what `npm run build` produces; compose.yaml's mounts, ports, volumes, secrets and healthcheck agree
// with the app; Prometheus scrapes the app's real port and /metrics path; Grafana's dashboard queries
// name metrics a real Metrics instance exports.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, loadSecrets } from '../../src/config/config.js';
import { englishDataPath } from '../../src/ocr/pool.js';
import { buildServer } from '../../src/server/app.js';
import { Metrics } from '../../src/server/metrics.js';
import type { Scorer } from '../../src/classifier/scorer.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCKER = join(ROOT, 'docker');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

interface Instruction {
  op: string;
  args: string;
  stage: string;
}

/** Dockerfile instructions (continuations joined, comments dropped), each tagged with its stage name. */
function parseDockerfile(text: string): { instructions: Instruction[]; args: Record<string, string> } {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line.startsWith('#') || line === '')) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(current + line);
    current = '';
  }
  const args: Record<string, string> = {};
  const instructions: Instruction[] = [];
  let stage = '';
  for (const line of lines) {
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = (m[1] as string).toUpperCase();
    const rest = (m[2] as string).trim();
    if (op === 'ARG' && !stage) {
      const [k, v] = rest.split('=');
      if (k) args[k] = v ?? '';
    }
    if (op === 'FROM') stage = /\bAS\s+(\S+)/i.exec(rest)?.[1] ?? String(instructions.filter((i) => i.op === 'FROM').length);
    instructions.push({ op, args: rest, stage });
  }
  return { instructions, args };
}

/** COPY's flags, sources and destination (shell or JSON form). */
function parseCopy(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

/** The JSON-array form of CMD / HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

function dockerignored(path: string): boolean {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const clean = posix.normalize(path).replace(/^\.\//, '').replace(/\/$/, '');
  return patterns.some((p) => {
    if (p.startsWith('*.')) return clean.endsWith(p.slice(1));
    return clean === p || clean.startsWith(`${p}/`);
  });
}

const dockerfile = parseDockerfile(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'));
const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as {
  services: Record<string, {
    build?: { context: string; dockerfile: string };
    environment?: Record<string, string>;
    ports?: string[];
    volumes?: string[];
    healthcheck?: { test: string[] };
    secrets?: string[];
    depends_on?: unknown;
  }>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { environment?: string; file?: string }>;
};
const final = dockerfile.instructions.filter((i) => i.stage === 'runtime');
const envOf = (ins: Instruction[]): Record<string, string> =>
  Object.fromEntries(ins.filter((i) => i.op === 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string])));

const fakeScorer: Scorer = {
  name: 'fake',
  version: '0',
  thresholds: { toxic: 0.5, severe_toxic: 0.5, obscene: 0.5, threat: 0.5, insult: 0.5, identity_hate: 0.5 },
  scoreBatch: async (texts) => texts.map(() => ({ scores: { toxic: 0, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 } })),
};

describe('docker/Dockerfile', () => {
  it('is multi-stage: build (npm ci + npm run build, node headers of the image, no CUDA download) then runtime', () => {
    const froms = dockerfile.instructions.filter((i) => i.op === 'FROM');
    expect(froms.map((f) => f.stage)).toEqual(['build', 'runtime']);
    const image = dockerfile.args.NODE_IMAGE ?? '';
    expect(image).toMatch(/^node:20[-.]/);
    const build = dockerfile.instructions.filter((i) => i.stage === 'build');
    const env = envOf(build);
    expect(env.npm_config_nodedir).toBe('/usr/local');
    expect(env.ONNXRUNTIME_NODE_INSTALL).toBe('skip');
    const runs = build.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r) && /npm prune --omit=dev/.test(r))).toBe(true);
    // prepare (run by npm ci) compiles: the sources and tsconfig files are copied before `npm ci`.
    const ciAt = build.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    const copiedBefore = build.slice(0, ciAt).filter((i) => i.op === 'COPY').flatMap((i) => parseCopy(i.args).sources);
    expect(copiedBefore).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']));
    expect(JSON.parse(read('package.json')).scripts.prepare).toMatch(/tsc -p tsconfig.build.json/);
  });

  it('copies only paths that exist in the build context and are not excluded by .dockerignore', () => {
    const copies = dockerfile.instructions.filter((i) => i.op === 'COPY').map((i) => ({ ...parseCopy(i.args), stage: i.stage }));
    expect(copies.length).toBeGreaterThan(5);
    for (const c of copies.filter((c) => !c.from)) {
      for (const s of c.sources) {
        expect(existsSync(join(ROOT, s)), `COPY ${s}`).toBe(true);
        expect(dockerignored(s), `COPY ${s} is excluded by .dockerignore`).toBe(false);
      }
    }
    // COPY --from=build: each path is made in the build stage (copied there, or by npm ci / npm run build).
    const buildCopied = new Set(copies.filter((c) => c.stage === 'build' && !c.from).flatMap((c) => c.sources.map((s) => posix.join('/app', s))));
    buildCopied.add('/app/node_modules');
    buildCopied.add('/app/dist');
    for (const c of copies.filter((c) => c.from === 'build')) for (const s of c.sources) expect(buildCopied.has(s), `COPY --from=build ${s}`).toBe(true);
    // What the runtime needs at run time is inside the image.
    const runtimeDests = copies.filter((c) => c.stage === 'runtime').map((c) => posix.join('/app', c.dest));
    for (const needed of ['/app/node_modules', '/app/dist', '/app/models', '/app/src/dashboard/public']) expect(runtimeDests).toContain(needed);
    expect(existsSync(join(ROOT, 'models/builtin/model.json'))).toBe(true);
    expect(existsSync(join(ROOT, 'models/builtin/reference.json'))).toBe(true);
    // The English tesseract data is a production dependency, so it survives `npm prune --omit=dev`.
    expect(JSON.parse(read('package.json')).dependencies['@tesseract.js-data/eng']).toBeDefined();
    expect(statSync(englishDataPath()).isDirectory()).toBe(true);
  });

  it('runs as a non-root user that owns only the data folder, and starts what `npm run build` produces', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args);
    const user = users.at(-1) ?? 'root';
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(final.findIndex((i) => i.op === 'USER')).toBeLessThan(final.findIndex((i) => i.op === 'CMD'));
    const env = envOf(final);
    const dataDir = posix.dirname(env.TOXGUARD_DB ?? '');
    expect(final.some((i) => i.op === 'RUN' && i.args.includes(`chown ${user}:${user} ${dataDir}`))).toBe(true);
    expect(final.find((i) => i.op === 'VOLUME')?.args).toContain(dataDir);

    const cmd = execForm(final.find((i) => i.op === 'CMD')?.args ?? '');
    expect(cmd).toEqual(['node', 'dist/cli/main.js', 'serve']);
    // npm run build = tsc -p tsconfig.build.json, which maps src/ to dist/: src/cli/main.ts -> dist/cli/main.js.
    expect(JSON.parse(read('package.json')).scripts.build).toBe('tsc -p tsconfig.build.json');
    const tsconfig = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string } };
    const entry = cmd[1] as string;
    const source = join(tsconfig.compilerOptions.rootDir, posix.relative(tsconfig.compilerOptions.outDir, entry)).replace(/\.js$/, '.ts');
    expect(source).toBe(join('src', 'cli', 'main.ts'));
    expect(existsSync(join(ROOT, source))).toBe(true);
    expect(read('bin/toxguard.js')).toContain(`../${entry}`);
  });

  it('listens on all interfaces on the exposed ports and health-checks /healthz, which answers without a token', async () => {
    const env = envOf(final);
    expect(env.HOST).toBe('0.0.0.0');
    const config = loadConfig({ env: { PORT: env.PORT } });
    const exposed = final.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map(Number);
    expect(exposed).toContain(config.server.port);
    expect(exposed).toContain(config.slack.port);
    const health = final.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toContain('/healthz');
    const app = buildServer({ scorer: fakeScorer });
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '172.18.0.5' });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('docker/compose.yaml, prometheus.yml and Grafana provisioning', () => {
  const app = compose.services.toxguard;
  const prom = compose.services.prometheus;
  const grafana = compose.services.grafana;

  it('builds toxguard from this Dockerfile with the repository as context', () => {
    expect(app?.build).toBeDefined();
    const context = resolve(DOCKER, app?.build?.context ?? '');
    expect(context).toBe(ROOT);
    expect(resolve(context, app?.build?.dockerfile ?? '')).toBe(join(DOCKER, 'Dockerfile'));
    expect(existsSync(join(context, '.dockerignore'))).toBe(true);
  });

  it('maps the ports the app listens on, keeps the database on a named volume, and passes tokens from the environment', () => {
    const env = app?.environment ?? {};
    const port = Number(env.PORT);
    const containerPorts = (app?.ports ?? []).map((p) => Number(p.split(':').at(-1)));
    expect(containerPorts).toContain(port);
    expect(containerPorts).toContain(loadConfig({ env: {} }).slack.port);
    expect(env.HOST).toBe('0.0.0.0');
    const dataDir = posix.dirname(env.TOXGUARD_DB ?? '');
    const volume = (app?.volumes ?? []).find((v) => v.split(':')[1] === dataDir);
    expect(volume, `a volume mounted at ${dataDir}`).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(volume?.split(':')[0]);
    // Every token is read by loadSecrets under that name, and none is written into the file.
    const tokens = Object.keys(env).filter((k) => /TOKEN|SECRET|PASSWORD/.test(k));
    expect(tokens.length).toBeGreaterThan(3);
    for (const name of tokens) {
      expect(env[name]).toMatch(/^\$\{\w+(:-|:\?)[^}]*\}$/);
      expect(Object.values(loadSecrets({ [name]: 'x' }))).toContain('x');
    }
    const health = (app?.healthcheck?.test ?? []).join(' ');
    expect(health).toContain(`127.0.0.1:${port}/healthz`);
  });

  it('mounts files and folders that exist, and declares the named volumes and secrets it uses', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const v of service.volumes ?? []) {
        const source = v.split(':')[0] as string;
        if (source.startsWith('.') || source.startsWith('/')) expect(existsSync(resolve(DOCKER, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: volume ${source}`).toContain(source);
      }
      for (const s of service.secrets ?? []) expect(Object.keys(compose.secrets)).toContain(s);
    }
  });

  it('has Prometheus scrape the app on its port and /metrics path with the API token, and the app serves it there', async () => {
    const config = parse(readFileSync(join(DOCKER, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path?: string; authorization?: { type: string; credentials_file: string }; static_configs: { targets: string[] }[] }[];
    };
    const job = config.scrape_configs.find((j) => j.job_name === 'toxguard');
    expect(job?.static_configs[0]?.targets).toEqual([`toxguard:${app?.environment?.PORT}`]);
    const path = job?.metrics_path ?? '/metrics';
    expect(path).toBe('/metrics');
    // The app wants a bearer token from any non-loopback client: Prometheus reads it from the secret made from TOXGUARD_API_TOKEN.
    const secret = prom?.secrets?.[0] ?? '';
    expect(job?.authorization).toEqual({ type: 'Bearer', credentials_file: `/run/secrets/${secret}` });
    expect(compose.secrets[secret]?.environment).toBe('TOXGUARD_API_TOKEN');
    expect((prom?.volumes ?? []).some((v) => v.startsWith('./prometheus.yml:/etc/prometheus/prometheus.yml'))).toBe(true);

    const metrics = new Metrics();
    const server = buildServer({ scorer: fakeScorer, metrics, apiToken: 'tok' });
    try {
      const remote = { remoteAddress: '172.18.0.3' };
      expect((await server.inject({ method: 'GET', url: path, ...remote })).statusCode).toBe(401);
      const ok = await server.inject({ method: 'GET', url: path, headers: { authorization: 'Bearer tok' }, ...remote });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('# TYPE toxguard_drift_psi gauge');
    } finally {
      await server.close();
    }
  });

  it('provisions the Prometheus datasource and a dashboard whose queries name metrics /metrics exports', async () => {
    const provisioning = (grafana?.volumes ?? []).map((v) => v.split(':'));
    const mountOf = (source: string): string | undefined => provisioning.find((p) => p[0] === source)?.[1];
    expect(mountOf('./grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const datasources = parse(readFileSync(join(DOCKER, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: { uid: string; type: string; url: string }[] };
    const ds = datasources.datasources[0];
    expect(ds?.type).toBe('prometheus');
    const promUrl = new URL(ds?.url ?? '');
    expect(Object.keys(compose.services)).toContain(promUrl.hostname);
    expect(prom?.ports?.some((p) => p.endsWith(`:${promUrl.port}`))).toBe(true);
    const providers = parse(readFileSync(join(DOCKER, 'grafana/provisioning/dashboards/toxguard.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashboardsDir = providers.providers[0]?.options.path;
    expect(mountOf('./grafana/dashboards')).toBe(dashboardsDir);

    const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana/dashboards/toxguard.json'), 'utf8')) as {
      uid: string;
      panels: { title: string; datasource: { uid: string }; targets: { expr: string; datasource?: { uid: string } }[] }[];
    };
    expect(dashboard.uid).toBeTruthy();
    // The names a real Metrics instance exports (histograms as _bucket/_sum/_count).
    const text = await new Metrics().registry.metrics();
    const exported = new Set<string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const [name, type] = [m[1] as string, m[2] as string];
      exported.add(name);
      if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(name + s);
    }
    const named = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(ds?.uid);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets) {
        const metrics = [...t.expr.matchAll(/\b((?:toxguard|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] as string);
        expect(metrics.length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
        for (const name of metrics) {
          expect(exported.has(name), `${panel.title}: ${name} is not exported`).toBe(true);
          named.add(name);
        }
      }
    }
    for (const drift of ['toxguard_drift_psi', 'toxguard_drift_share', 'toxguard_drift_over_bound']) expect(named).toContain(drift);
  });
});
