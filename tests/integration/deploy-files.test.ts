/**
 * The deploy files (deploy/**) are written for Docker, Compose, nginx, Kubernetes, KEDA,
 * Prometheus and Grafana, none of which runs here. This test parses every YAML/JSON file
 * and checks that what they name agrees with the code: environment variables, ports,
 * probe paths, entrypoints, queue names, the BullMQ key scheme and the alert thresholds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { QUEUE_NAMES } from '../../shared/queues.js';
import { bullPrefix } from '../../server/queue/bullmq-options.js';

const ROOT = join(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of many shapes, read field by field with expectations
type Doc = Record<string, any>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The keys of envSchema in server/config.ts: the only environment variables the app reads. */
const CONFIG_SOURCE = read('server/config.ts');
const schemaBody = CONFIG_SOURCE.slice(CONFIG_SOURCE.indexOf('const envSchema'), CONFIG_SOURCE.indexOf('.superRefine((env'));
const CONFIG_KEYS = new Set([...schemaBody.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
const DEFAULT_PORT = Number(/PORT: intFrom\((\d+),/.exec(CONFIG_SOURCE)![1]);
const DEFAULT_SHUTDOWN_MS = Number(/WORKER_SHUTDOWN_TIMEOUT_MS: intFrom\(([\d_]+),/.exec(CONFIG_SOURCE)![1]!.replaceAll('_', ''));
const DEFAULT_UPLOAD_MB = Number(/UPLOAD_MAX_FILE_MB: intFrom\((\d+),/.exec(CONFIG_SOURCE)![1]);

const compose = parse(read('deploy/compose.yaml'), { merge: true }) as Doc;
const k8sDocs: Doc[] = readdirSync(join(DEPLOY, 'k8s'))
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, 'k8s', f), 'utf8')).map((d) => d.toJS() as Doc))
  .filter(Boolean);
const ofKind = (kind: string) => k8sDocs.filter((d) => d.kind === kind);
const configMap = ofKind('ConfigMap').find((d) => d.metadata.name === 'concert-history-config')!;
const appSecret = ofKind('Secret').find((d) => d.metadata.name === 'concert-history-secrets')!;
const nginx = read('deploy/nginx/nginx.conf');
const dockerfile = read('deploy/docker/Dockerfile');

const APP_IMAGE = 'concert-history';
const imageName = (image: string) => image.replace(/:[^/]*$/, '');
const appServices = Object.entries(compose.services as Record<string, Doc>).filter(([, s]) => imageName(s.image ?? '') === APP_IMAGE);
const podSpecs = [...ofKind('Deployment'), ...ofKind('Job')].map((d) => ({ name: d.metadata.name as string, spec: d.spec.template.spec as Doc }));
const appContainers = podSpecs.flatMap(({ name, spec }) => (spec.containers as Doc[]).map((c) => ({ owner: name, podSpec: spec, container: c })));
const envOf = (container: Doc): Record<string, string> => Object.fromEntries(((container.env ?? []) as Doc[]).map((e) => [e.name, e.value]));
const queuesOf = (value: string) => value.split(',').map((s) => s.trim());

describe('deploy files', () => {
  it('parse: every YAML and JSON file under deploy/', () => {
    const files = filesUnder(DEPLOY).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const name = relative(ROOT, file);
      if (file.endsWith('.json')) expect(() => JSON.parse(text), name).not.toThrow();
      else for (const doc of parseAllDocuments(text)) expect(doc.errors, name).toEqual([]);
    }
  });

  it('read the environment variable names from server/config.ts', () => {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET', 'WORKER_QUEUES', 'S3_BUCKET']) expect(CONFIG_KEYS).toContain(name);
    expect(DEFAULT_PORT).toBe(3000);
    expect(DEFAULT_SHUTDOWN_MS).toBe(30_000);
  });

  describe('Dockerfile', () => {
    it('is multi-stage, runs as a non-root user and checks /api/health', () => {
      expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
      expect(dockerfile).toMatch(/^USER (node|\d+)/m);
      expect(dockerfile).toMatch(/^HEALTHCHECK[\s\S]*\/api\/health/m);
      expect(dockerfile).toContain(`EXPOSE ${DEFAULT_PORT}`);
      expect(dockerfile).toMatch(/CMD \["node", "dist\/server\/main\.js"\]/);
    });

    it('runs entrypoints that the build emits (npm run build → dist/)', () => {
      const build = JSON.parse(read('package.json')).scripts.build as string;
      expect(build).toContain('tsconfig.build.json');
      const include = (JSON.parse(read('tsconfig.build.json')).include as string[]).join(' ');
      const used = new Set(
        [
          dockerfile,
          read('deploy/compose.yaml'),
          ...readdirSync(join(DEPLOY, 'k8s')).map((f) => readFileSync(join(DEPLOY, 'k8s', f), 'utf8')),
        ].flatMap((text) => [...text.matchAll(/dist\/([\w/-]+)\.js/g)].map((m) => m[1]!)),
      );
      expect([...used].sort()).toEqual(['scripts/db-migrate', 'server/main', 'worker/main']);
      for (const entry of used) {
        expect(existsSync(join(ROOT, `${entry}.ts`)), entry).toBe(true);
        expect(include, entry).toContain(entry.split('/')[0] === 'scripts' ? `${entry}.ts` : entry.split('/')[0]);
      }
    });
  });

  describe('compose.yaml', () => {
    it('names only environment variables the app reads', () => {
      expect(appServices.length).toBeGreaterThanOrEqual(8);
      for (const [name, service] of appServices) {
        for (const key of Object.keys(service.environment ?? {})) expect(CONFIG_KEYS.has(key), `${name}: ${key}`).toBe(true);
      }
    });

    it('runs MySQL 8, Redis with AOF and noeviction, MinIO with a bucket init, and a one-shot migration', () => {
      const s = compose.services as Record<string, Doc>;
      expect(s.mysql!.image).toMatch(/^mysql:8/);
      const redis = (s.redis!.command as string[]).join(' ');
      expect(redis).toMatch(/--appendonly yes/);
      expect(redis).toMatch(/--maxmemory-policy noeviction/);
      expect(s.minio!.image).toMatch(/minio/);
      expect((s['minio-init']!.entrypoint as string[]).join(' ')).toMatch(/mc mb --ignore-existing store\/concert-history/);
      expect(s.migrate!.command).toEqual(['node', 'dist/scripts/db-migrate.js']);
      expect(s.migrate!.restart).toBe('no');
    });

    it('runs three web replicas with readiness checks, all behind nginx on the web PORT', () => {
      const webs = appServices.filter(([, s]) => !s.command);
      expect(webs.map(([n]) => n).sort()).toEqual(['web-1', 'web-2', 'web-3']);
      for (const [name, web] of webs) {
        expect(Number(web.environment.PORT), name).toBe(DEFAULT_PORT);
        expect(web.environment.STORAGE).toBe('s3');
        expect(web.environment.TRUST_PROXY).toBe('true');
        expect(web.healthcheck.test.join(' ')).toContain(`127.0.0.1:${web.environment.PORT}/api/ready`);
        expect(nginx).toMatch(new RegExp(`server ${name}:${web.environment.PORT}\\b`));
      }
      expect(compose.services.nginx.volumes).toContain('./nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    });

    it('has worker pools whose queues are real and cover every queue once', () => {
      const workers = appServices.filter(([, s]) => s.command?.join(' ') === 'node dist/worker/main.js');
      expect(workers.length).toBeGreaterThanOrEqual(2);
      const served = workers.flatMap(([, s]) => queuesOf(s.environment.WORKER_QUEUES));
      expect([...served].sort()).toEqual([...QUEUE_NAMES].sort());
      for (const [name, s] of workers) {
        for (const pair of String(s.environment.WORKER_CONCURRENCY).split(',')) {
          const [queue, count] = pair.split('=');
          expect(queuesOf(s.environment.WORKER_QUEUES), name).toContain(queue);
          expect(Number(count)).toBeGreaterThanOrEqual(1);
        }
      }
    });
  });

  describe('nginx.conf', () => {
    it('balances by least connections and forwards client address and scheme', () => {
      expect(nginx).toMatch(/upstream concert_web \{\s*least_conn;/);
      expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
      expect(nginx).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
      expect(nginx).toMatch(/^\s*gzip on;/m);
      expect(nginx).not.toMatch(/gzip_types[^;]*event-stream/);
    });

    const location = (pattern: string) => {
      const start = nginx.indexOf(`location ${pattern}`);
      expect(start, pattern).toBeGreaterThan(-1);
      return nginx.slice(start, nginx.indexOf('}', start));
    };

    it('streams SSE on /trpc unbuffered with a long read timeout', () => {
      const sse = location('~ ^/trpc/');
      expect('/trpc/scans.onProgress').toMatch(/^\/trpc\/[A-Za-z.,]*onProgress/);
      expect(sse).toContain('proxy_buffering off;');
      expect(sse).toMatch(/proxy_read_timeout (\d+h|\d{4,}s);/);
      expect(location('/trpc ')).toContain('proxy_buffering off;');
    });

    it('limits requests per IP on /trpc and /api, and lets uploads through', () => {
      expect(nginx).toMatch(/limit_req_zone \$binary_remote_addr zone=trpc/);
      expect(location('/trpc ')).toMatch(/limit_req zone=trpc/);
      expect(location('/api ')).toMatch(/limit_req zone=api/);
      const uploads = location('/api/uploads');
      const size = /client_max_body_size (\d+)m?;/.exec(uploads)![1]!;
      // 0 = no total limit: one request carries every chosen photo; the app enforces the per-file limit.
      expect(Number(size) === 0 || Number(size) >= DEFAULT_UPLOAD_MB).toBe(true);
      expect(uploads).toContain('proxy_request_buffering off;');
    });
  });

  describe('Kubernetes', () => {
    it('names only environment variables the app reads (ConfigMap, Secret, container env)', () => {
      const names = [
        ...Object.keys(configMap.data),
        ...Object.keys(appSecret.stringData),
        ...appContainers.flatMap(({ container }) => Object.keys(envOf(container))),
      ];
      for (const name of names) expect(CONFIG_KEYS.has(name), name).toBe(true);
      for (const { owner, container } of appContainers) {
        const refs = (container.envFrom as Doc[]).map((e) => e.configMapRef?.name ?? e.secretRef?.name);
        expect(refs, owner).toEqual(['concert-history-config', 'concert-history-secrets']);
      }
      expect(k8sDocs.every((d) => d.metadata?.namespace === undefined)).toBe(true);
    });

    it('uses the one app image everywhere', () => {
      for (const { owner, container } of appContainers) expect(imageName(container.image), owner).toBe(APP_IMAGE);
    });

    it('probes the web Deployment on /api/ready and /api/health at the PORT, and drains on shutdown', () => {
      const routes = read('server/http/health.routes.ts');
      expect(routes).toContain("'/api/health'");
      expect(routes).toContain("'/api/ready'");
      const web = appContainers.find((c) => c.owner === 'concert-history-web')!;
      const port = Number(configMap.data.PORT);
      expect(port).toBe(DEFAULT_PORT);
      expect(web.container.ports[0].containerPort).toBe(port);
      expect(web.container.readinessProbe.httpGet.path).toBe('/api/ready');
      expect(web.container.livenessProbe.httpGet.path).toBe('/api/health');
      const preStop = Number(web.container.lifecycle.preStop.exec.command[1]);
      expect(preStop).toBeGreaterThan(0);
      const shutdownMs = Number(configMap.data.WORKER_SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_MS);
      expect(web.podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(shutdownMs + preStop * 1000);
    });

    it('has a Service, an HPA on CPU and a PodDisruptionBudget for the web Deployment', () => {
      const service = ofKind('Service').find((d) => d.metadata.name === 'concert-history-web')!;
      expect(service.spec.ports[0].targetPort).toBe('http');
      const hpa = ofKind('HorizontalPodAutoscaler')[0]!;
      expect(hpa.spec.scaleTargetRef.name).toBe('concert-history-web');
      expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
      const pdb = ofKind('PodDisruptionBudget')[0]!;
      expect(pdb.spec.selector.matchLabels).toEqual(service.spec.selector);
      expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    });

    it('runs one worker Deployment per pool, each scaled by KEDA on its BullMQ wait lists', () => {
      const workers = appContainers.filter(({ container }) => container.command.join(' ') === 'node dist/worker/main.js');
      const served = workers.flatMap(({ container }) => queuesOf(envOf(container).WORKER_QUEUES!));
      expect([...served].sort()).toEqual([...QUEUE_NAMES].sort());
      const prefix = bullPrefix({ redis: { keyPrefix: configMap.data.REDIS_KEY_PREFIX } } as never);
      const scaledObjects = ofKind('ScaledObject');
      expect(scaledObjects).toHaveLength(workers.length);
      for (const { owner, podSpec, container } of workers) {
        expect(podSpec.terminationGracePeriodSeconds * 1000, owner).toBeGreaterThan(Number(configMap.data.WORKER_SHUTDOWN_TIMEOUT_MS));
        const scaled = scaledObjects.find((s) => s.spec.scaleTargetRef.name === owner)!;
        expect(scaled, owner).toBeDefined();
        const triggers = scaled.spec.triggers as Doc[];
        for (const trigger of triggers) expect(trigger.type).toBe('redis');
        const lists = triggers.map((t) => t.metadata.listName);
        expect(lists.sort(), owner).toEqual(
          queuesOf(envOf(container).WORKER_QUEUES!)
            .map((q) => `${prefix}:${q}:wait`)
            .sort(),
        );
        expect(ofKind('TriggerAuthentication').map((t) => t.metadata.name)).toContain(scaled.spec.triggers[0].authenticationRef.name);
      }
    });

    it('migrates with a Job before rollout', () => {
      const job = ofKind('Job')[0]!;
      expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'dist/scripts/db-migrate.js']);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      const kustomization = parse(read('deploy/k8s/kustomization.yaml')) as Doc;
      for (const file of kustomization.resources) expect(existsSync(join(DEPLOY, 'k8s', file)), file).toBe(true);
    });
  });

  describe('monitoring', () => {
    const rules = (parse(read('deploy/prometheus/alerts.yml')) as Doc).groups.flatMap((g: Doc) => g.rules) as Doc[];
    const rule = (name: string) => rules.find((r) => r.alert === name)!;

    it('alerts with the seed thresholds', () => {
      expect(rule('ApiLatencyP95High')).toMatchObject({ for: '5m' });
      expect(rule('ApiLatencyP95High').expr).toMatch(/histogram_quantile\(0\.95,.*http_request_duration_seconds_bucket.*\) > 0\.5$/);
      expect(rule('ApiErrorRateHigh')).toMatchObject({ for: '2m' });
      expect(rule('ApiErrorRateHigh').expr).toMatch(/status="5xx".*> 0\.01$/);
      expect(rule('DatabasePoolSaturated').expr).toMatch(/db_pool_connections\{state="used"\}.*db_pool_connections\{state="max"\}.*> 0\.9$/);
      expect(rule('MemoryHigh')).toMatchObject({ for: '5m' });
      expect(rule('MemoryHigh').expr.match(/> 0\.9/g)).toHaveLength(2);
      expect(rule('ServiceDown')).toMatchObject({ expr: 'up == 0', for: '1m' });
      const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as Doc;
      expect(prometheus.rule_files).toContain('alerts.yml');
      expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual(['web-1', 'web-2', 'web-3'].map((w) => `${w}:${DEFAULT_PORT}`));
    });

    it('scrapes every worker pool on the WORKER_METRICS_PORT it is given (Compose and Kubernetes)', () => {
      const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as Doc;
      const workerJob = (prometheus.scrape_configs as Doc[]).find((c) => c.job_name === 'concert-history-worker')!;
      const discovery = workerJob.dns_sd_configs[0] as Doc;
      const composeWorkers = appServices.filter(([, s]) => s.command?.join(' ') === 'node dist/worker/main.js');
      expect([...discovery.names].sort()).toEqual(composeWorkers.map(([name]) => name).sort());
      for (const [name, s] of composeWorkers) {
        expect(Number(s.environment.WORKER_METRICS_PORT), name).toBe(discovery.port);
        expect(s.expose, name).toContain(String(discovery.port));
      }
      const port = Number(configMap.data.WORKER_METRICS_PORT);
      for (const { owner, container } of appContainers.filter(({ container }) => container.command?.join(' ') === 'node dist/worker/main.js')) {
        expect(
          container.ports.map((p: Doc) => p.containerPort),
          owner,
        ).toContain(port);
        const pod = ofKind('Deployment').find((d) => d.metadata.name === owner)!.spec.template.metadata;
        expect(pod.annotations['prometheus.io/port'], owner).toBe(String(port));
      }
    });

    it('has a Grafana dashboard whose panels query the metrics listed in docs/operations.md', () => {
      const dashboard = JSON.parse(read('deploy/grafana/concert-history.json')) as Doc;
      expect(dashboard.uid).toBe('concert-history');
      expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
      const docs = read('docs/operations.md');
      const metrics = new Set<string>();
      for (const panel of dashboard.panels as Doc[]) {
        expect(panel.title).toBeTruthy();
        expect(panel.targets.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets as Doc[]) {
          for (const m of target.expr.matchAll(/\b([a-z][a-z0-9_]*)(?=\{|\[|\)|\s|$)/g)) {
            const name = m[1]!.replace(/_(bucket|count|sum)$/, '');
            if (/_(seconds|total|jobs|connections|bytes)$/.test(name) || name === 'up') metrics.add(name);
          }
        }
      }
      for (const name of [
        'http_request_duration_seconds',
        'trpc_procedure_duration_seconds',
        'bullmq_queue_jobs',
        'bullmq_job_duration_seconds',
        'cache_requests_total',
        'db_pool_connections',
      ]) {
        expect(metrics).toContain(name);
      }
      for (const name of metrics) expect(docs, name).toContain(`\`${name}`);
    });
  });
});
