// Offline checks of the Kubernetes manifests: every object against the Kubernetes / KEDA schemas shipped in
// `kubernetes-models` and `@kubernetes-models/keda`, then the rules that tie the manifests to the code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueKeys } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { STAGES } from '@triage/contracts';
import { ScaledObject, type IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Service, ServiceAccount, type IConfigMap, type IContainer, type IPodSpec, type IService } from 'kubernetes-models/v1';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');
const repoFile = (p: string) => readFileSync(join(REPO, p), 'utf8');

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

// ---- schemas -------------------------------------------------------------------------------------------------
const MODELS: Record<string, (o: Obj) => { validate(): void }> = {
  'v1/ConfigMap': (o) => new ConfigMap(o as never),
  'v1/ServiceAccount': (o) => new ServiceAccount(o as never),
  'v1/PersistentVolumeClaim': (o) => new PersistentVolumeClaim(o as never),
  'v1/Service': (o) => new Service(o as never),
  'apps/v1/Deployment': (o) => new Deployment(o as never),
  'batch/v1/Job': (o) => new Job(o as never),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o as never),
  'keda.sh/v1alpha1/ScaledObject': (o) => new ScaledObject(o as never),
};
function validate(o: Obj): void {
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!model) throw new Error(`no schema for ${o.apiVersion}/${o.kind}`);
  model(o).validate();
}

// ---- a small kustomize: resources, patches (JSON 6902 files), images, replicas, namespace --------------------
const loadFile = (path: string): Obj[] =>
  parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${path}: ${d.errors[0]!.message}`);
    return d.toJS() as Obj;
  }).filter(Boolean);

type Op = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };
function applyOp(target: unknown, { op, path, value }: Op): void {
  const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  let node = target as Record<string, unknown>;
  for (const k of keys) {
    node = node[k] as Record<string, unknown>;
    if (node === undefined) throw new Error(`patch path ${path} does not exist`);
  }
  if (Array.isArray(node)) {
    const i = last === '-' ? node.length : Number(last);
    if (op === 'add') node.splice(i, 0, value);
    else if (i >= node.length) throw new Error(`patch path ${path} does not exist`);
    else if (op === 'replace') node[i] = value;
    else node.splice(i, 1);
    return;
  }
  if (op !== 'add' && !(last in node)) throw new Error(`patch path ${path} does not exist`);
  if (op === 'remove') delete node[last];
  else node[last] = value;
}

const IMPLEMENTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'replicas', 'patches']);
type Kustomization = {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target: { kind: string; name: string } }[];
};
function build(dir: string): Obj[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  for (const key of Object.keys(k)) if (!IMPLEMENTED.has(key)) throw new Error(`${dir}: this test's build has no "${key}"`);
  const objs = (k.resources ?? []).flatMap((r) => (statSync(join(dir, r)).isDirectory() ? build(join(dir, r)) : loadFile(join(dir, r))));
  for (const p of k.patches ?? []) {
    const hits = objs.filter((o) => o.kind === p.target.kind && o.metadata.name === p.target.name);
    if (hits.length !== 1) throw new Error(`patch ${p.path} matches ${hits.length} objects`);
    for (const op of parse(readFileSync(join(dir, p.path), 'utf8')) as Op[]) applyOp(hits[0], op);
  }
  for (const o of objs) {
    const pod = podSpec(o);
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      const img = k.images?.find((i) => i.name === c.image?.split(':')[0]);
      if (img) c.image = `${img.newName ?? img.name}${img.newTag ? `:${img.newTag}` : ''}`;
    }
    const rep = ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(o.kind) ? k.replicas?.find((r) => r.name === o.metadata.name) : undefined;
    if (rep) (o as unknown as IDeployment).spec!.replicas = rep.count;
    if (k.namespace) o.metadata.namespace = k.namespace;
  }
  return objs;
}

// ---- helpers over the built objects ---------------------------------------------------------------------------
const podSpec = (o: Obj): IPodSpec | undefined => (o.kind === 'Deployment' || o.kind === 'Job' ? (o as unknown as IDeployment).spec?.template.spec : undefined);
const ofKind = <T>(objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind) as unknown as (T & Obj)[];
const named = <T>(objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o as unknown as T & Obj;
};
const config = (objs: Obj[]) => named<IConfigMap>(objs, 'ConfigMap', 'triage-config').data ?? {};
/** `worker --stages S --concurrency N` → { stage, concurrency }. */
function workerArgs(c: IContainer): { stage: string; concurrency: number } {
  const a = c.args ?? [];
  expect(a[0]).toBe('worker');
  const stages = a[a.indexOf('--stages') + 1] ?? '';
  expect(stages.split(','), 'one stage per worker Deployment').toHaveLength(1);
  return { stage: stages, concurrency: Number(a[a.indexOf('--concurrency') + 1]) };
}
const workers = (objs: Obj[]) => ofKind<IDeployment>(objs, 'Deployment').filter((d) => d.metadata.name.startsWith('triage-worker-'));
const container = (d: IDeployment) => d.spec!.template.spec!.containers[0]!;
function quantity(q: string | number | undefined): number {
  const m = /^([\d.]+)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`quantity ${q}`);
  return Number(m[1]) * { m: 0.001, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, '': 1 }[m[2] ?? '']!;
}

// ---- facts read from the code ---------------------------------------------------------------------------------
/** The drain a worker process does on SIGTERM: what serve.ts passes to host.close(). */
async function drainTimeoutMs(): Promise<number> {
  const mod = (await import('@triage/worker')) as unknown as Record<string, unknown>;
  const exported = typeof mod.DRAIN_TIMEOUT_MS === 'number' ? mod.DRAIN_TIMEOUT_MS : undefined;
  // Where no constant is exported, the default is only a literal in worker-host.ts: read it from the source.
  const literal = /close\(timeoutMs = ([\d_]+)\)/.exec(repoFile('apps/worker/src/worker-host.ts'))?.[1];
  const arg = /host\.close\(([^)]*)\)/.exec(repoFile('apps/cli/src/serve.ts'))?.[1]?.trim();
  if (arg === undefined) throw new Error('serve.ts no longer calls host.close(...): update this test');
  const fromArg = arg === '' ? (exported ?? literal) : arg === 'DRAIN_TIMEOUT_MS' ? exported : arg;
  const ms = Number(String(fromArg).replace(/_/g, ''));
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`cannot read the drain timeout (host.close(${arg}))`);
  return ms;
}
/** Dockerfile `USER`: numeric, or `node`, which is uid 1000 in the official node images. */
function imageUid(): number {
  const user = [...repoFile('Dockerfile').matchAll(/^USER\s+(\S+)/gm)].pop()?.[1];
  if (user && /^\d+$/.test(user)) return Number(user);
  if (user === 'node') return 1000;
  throw new Error(`Dockerfile USER ${user}: map it to its uid here`);
}

// ---- rules; each returns its problems so that the negative tests can show it fails ------------------------------
const SECRET_KEYS = ['DATABASE_URL', 'TRIAGE_ENCRYPTION_KEY', 'SMTP_URL'];
const LOOKS_SECRET = [/:\/\/[^/\s:@]*:[^/\s@]+@/, /[A-Za-z0-9+/]{43}=/];

function podProblems(o: Obj, objs: Obj[], uid: number): string[] {
  const out: string[] = [];
  const pod = podSpec(o)!;
  const where = `${o.kind} ${o.metadata.name}`;
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) out.push(`${where}: runAsNonRoot`);
  if (psc.runAsUser !== uid) out.push(`${where}: runAsUser ${psc.runAsUser} is not the image's ${uid}`);
  if (pod.automountServiceAccountToken !== false) out.push(`${where}: service account token mounted`);
  const cfg = config(objs);
  const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
  const claims = new Map((pod.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => [v.name, v.persistentVolumeClaim!.claimName]));
  for (const c of pod.containers) {
    const at = `${where}/${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${at}: readOnlyRootFilesystem`);
    if (sc.privileged) out.push(`${at}: privileged`);
    if (!sc.capabilities?.drop?.includes('ALL') || sc.capabilities.add?.length) out.push(`${at}: capabilities`);
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault') out.push(`${at}: seccomp`);
    if ((sc.runAsUser ?? psc.runAsUser) !== uid || (sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${at}: user`);
    for (const r of ['requests', 'limits'] as const)
      for (const k of ['cpu', 'memory']) if (c.resources?.[r]?.[k] === undefined) out.push(`${at}: resources.${r}.${k}`);
    const mounts = c.volumeMounts ?? [];
    if (!mounts.some((m) => m.mountPath === '/tmp' && emptyDirs.has(m.name))) out.push(`${at}: /tmp is not an emptyDir`);
    if (o.kind === 'Deployment' && !mounts.some((m) => m.mountPath === cfg.DATA_DIR && claims.get(m.name) === 'triage-data'))
      out.push(`${at}: DATA_DIR ${cfg.DATA_DIR} is not the triage-data volume`);
    if (cfg.DATABASE_CA_FILE && !mounts.some((m) => cfg.DATABASE_CA_FILE!.startsWith(`${m.mountPath}/`))) out.push(`${at}: DATABASE_CA_FILE not mounted`);
    // PID 1 must be the app itself: the image's pnpm ENTRYPOINT exits on SIGTERM without letting the app drain.
    const cmd = c.command ?? [];
    if (cmd[0] !== 'node' || !cmd.includes('tsx') || !existsSync(join(REPO, cmd.at(-1) ?? ''))) out.push(`${at}: command ${cmd.join(' ')}`);
    // Secrets: only by reference to triage-secrets, never a value.
    for (const e of c.env ?? []) {
      if (e.value !== undefined && (SECRET_KEYS.includes(e.name) || LOOKS_SECRET.some((re) => re.test(e.value!)))) out.push(`${at}: ${e.name} has a literal secret value`);
      if (SECRET_KEYS.includes(e.name) && !e.valueFrom?.secretKeyRef) out.push(`${at}: ${e.name} not from a secretKeyRef`);
      if (e.valueFrom?.secretKeyRef && e.valueFrom.secretKeyRef.name !== 'triage-secrets') out.push(`${at}: unknown secret ${e.valueFrom.secretKeyRef.name}`);
    }
    const refs = c.envFrom ?? [];
    if (!refs.some((r) => r.secretRef?.name === 'triage-secrets')) out.push(`${at}: no secretRef triage-secrets`);
    if (refs.some((r) => (r.secretRef && r.secretRef.name !== 'triage-secrets') || (!r.secretRef && !r.configMapRef))) out.push(`${at}: envFrom`);
  }
  return out;
}

function graceProblems(objs: Obj[], drainMs: number): string[] {
  return workers(objs)
    .filter((d) => (d.spec!.template.spec!.terminationGracePeriodSeconds ?? 30) < drainMs / 1000 + 10)
    .map((d) => `${d.metadata.name}: grace ${d.spec!.template.spec!.terminationGracePeriodSeconds} s < drain ${drainMs / 1000} s + 10 s`);
}

function scalerProblems(so: IScaledObject, d: IDeployment & Obj, cfg: Record<string, string>): string[] {
  const out: string[] = [];
  const { stage, concurrency } = workerArgs(container(d));
  const s = so.spec;
  const at = `ScaledObject for ${stage}`;
  if (s.scaleTargetRef.name !== d.metadata.name || (s.scaleTargetRef.kind ?? 'Deployment') !== 'Deployment') out.push(`${at}: target`);
  const min = s.minReplicaCount ?? 0;
  const max = s.maxReplicaCount ?? 100;
  if (min < 1) out.push(`${at}: minReplicaCount ${min} < 1`);
  if (max < min) out.push(`${at}: maxReplicaCount < minReplicaCount`);
  if (!s.fallback || s.fallback.failureThreshold < 1 || s.fallback.replicas < min || s.fallback.replicas > max) out.push(`${at}: fallback`);
  const keys = new QueueKeys(cfg.QUEUE_PREFIX);
  const triggers = s.triggers;
  const names = triggers.map((t) => t.name ?? '').sort();
  if (names.join() !== 'active,wait' || triggers.some((t) => t.type !== 'redis')) out.push(`${at}: triggers must be redis "wait" and "active"`);
  for (const t of triggers) {
    if (t.metadata.listName !== keys.toKey(stage, t.name ?? '')) out.push(`${at}: ${t.name} lists ${t.metadata.listName}, BullMQ uses ${keys.toKey(stage, t.name ?? '')}`);
    if (t.metadata.listLength !== String(concurrency)) out.push(`${at}: ${t.name} listLength ${t.metadata.listLength} != --concurrency ${concurrency}`);
    const env = t.metadata.addressFromEnv;
    if (!env || !cfg[env] || `redis://${cfg[env]}` !== cfg.REDIS_URL?.replace(/^rediss:/, 'redis:').replace(/\/\d*$/, ''))
      out.push(`${at}: ${t.name} address ${env}=${env && cfg[env]} is not REDIS_URL ${cfg.REDIS_URL}`);
    if (cfg.REDIS_URL?.startsWith('rediss:') && t.metadata.enableTLS !== 'true') out.push(`${at}: ${t.name} needs enableTLS for rediss://`);
  }
  const mod = s.advanced?.scalingModifiers;
  const formula = mod?.formula?.replace(/\s+/g, '');
  if (formula !== 'wait+active' && formula !== 'active+wait') out.push(`${at}: formula ${mod?.formula} is not wait + active`);
  if (mod?.target !== String(concurrency)) out.push(`${at}: target ${mod?.target} jobs per pod != --concurrency ${concurrency}`);
  if ((mod?.metricType ?? 'AverageValue') !== 'AverageValue') out.push(`${at}: metricType`);
  return out;
}

// ---- tests -------------------------------------------------------------------------------------------------------
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? yamlFiles(join(dir, f)) : /\.ya?ml$/.test(f) ? [join(dir, f)] : []));
const BUILDS: [string, string][] = [
  ['base', join(HERE, 'base')],
  ['overlay example', join(HERE, 'overlays/example')],
];
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('kubernetes manifests', () => {
  it('every YAML file under deploy/kubernetes parses', () => {
    const files = yamlFiles(HERE);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(() => loadFile(f), f).not.toThrow();
  });

  it('the schemas reject a wrong object (the check can fail)', () => {
    const api = named<IDeployment>(build(join(HERE, 'base')), 'Deployment', 'triage-api');
    expect(() => validate(api)).not.toThrow();
    expect(() => validate({ ...api, spec: { ...api.spec!, replicas: 'three' } } as never)).toThrow(/replicas must be integer/);
    const bad = structuredClone(api);
    bad.spec!.template.spec!.containers[0]!.ports![0]!.containerPort = '8080' as never;
    expect(() => validate(bad)).toThrow(/containerPort/);
    const so = ofKind<IScaledObject>(build(join(HERE, 'base')), 'ScaledObject')[0]!;
    const badSo = structuredClone(so);
    badSo.spec.triggers[0]!.metadata.listLength = 8 as never; // KEDA metadata values are strings
    expect(() => validate(badSo)).toThrow(/listLength must be string/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toThrow(/no schema/);
  });

  it.skipIf(!hasKubectl)('this test\'s kustomize build equals `kubectl kustomize`', () => {
    for (const [, dir] of BUILDS) {
      const theirs = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS() as Obj);
      const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
      const sort = (l: Obj[]) => [...l].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sort(build(dir))).toEqual(sort(theirs));
    }
  });

  describe.each(BUILDS)('%s', (_name, dir) => {
    const objs = build(dir);

    it('every object passes its Kubernetes or KEDA schema', () => {
      const failures = objs.flatMap((o) => {
        try {
          validate(o);
          return [];
        } catch (e) {
          return [`${o.kind} ${o.metadata.name}: ${(e as Error).message}`];
        }
      });
      expect(failures).toEqual([]);
    });

    it('one worker Deployment and one ScaledObject per stage in STAGES', () => {
      const stages = workers(objs).map((d) => workerArgs(container(d)).stage);
      expect([...stages].sort()).toEqual([...STAGES].sort());
      for (const d of workers(objs)) expect(d.metadata.name).toBe(`triage-worker-${workerArgs(container(d)).stage}`);
      const targets = ofKind<IScaledObject>(objs, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name);
      expect([...targets].sort()).toEqual(workers(objs).map((d) => d.metadata.name).sort());
    });

    it('worker grace period ≥ the drain timeout in the code + 10 s', async () => {
      expect(graceProblems(objs, await drainTimeoutMs())).toEqual([]);
    });

    it('scalers: target jobs per pod = --concurrency, keys are BullMQ\'s, min ≥ 1, fallback set', () => {
      // The queue of a stage is named after it (createStageQueues: new Queue(s, ...)).
      expect(repoFile('packages/queue/src/queues.ts')).toMatch(/STAGES\.map\(\(s\) => \[s, new Queue\(s, \{ connection, prefix \}\)\]\)/);
      const cfg = config(objs);
      for (const d of workers(objs)) {
        const so = named<IScaledObject>(objs, 'ScaledObject', d.metadata.name);
        expect(scalerProblems(so, d, cfg)).toEqual([]);
      }
    });

    it('OCR runs fewer jobs per pod with more CPU and memory than any other stage', () => {
      const ocr = named<IDeployment>(objs, 'Deployment', 'triage-worker-ocr');
      for (const d of workers(objs).filter((x) => x !== ocr)) {
        expect(workerArgs(container(ocr)).concurrency).toBeLessThan(workerArgs(container(d)).concurrency);
        for (const k of ['cpu', 'memory'])
          expect(quantity(container(ocr).resources!.requests![k]), k).toBeGreaterThan(quantity(container(d).resources!.requests![k]));
        expect(quantity(container(ocr).resources!.limits!.memory)).toBeGreaterThan(quantity(container(d).resources!.limits!.memory));
      }
    });

    it('every pod: non-root as the image user, locked down, resources, volumes, secrets by reference', () => {
      const uid = imageUid();
      expect(objs.filter((o) => podSpec(o)).flatMap((o) => podProblems(o, objs, uid))).toEqual([]);
      expect(objs.filter((o) => o.kind === 'Secret'), 'no Secret in the repo').toEqual([]);
      const cfg = config(objs);
      for (const k of SECRET_KEYS) expect(cfg[k], `${k} in the ConfigMap`).toBeUndefined();
      for (const [k, v] of Object.entries(cfg)) for (const re of LOOKS_SECRET) expect(re.test(v), `ConfigMap ${k}`).toBe(false);
    });

    it('API: probes on /healthz and /readyz, both ports on the Service, grace after preStop', () => {
      const routes = repoFile('apps/api/src/routes/health.routes.ts');
      expect(routes).toContain("app.get('/healthz'");
      expect(routes).toContain("app.get('/readyz'");
      const api = named<IDeployment>(objs, 'Deployment', 'triage-api');
      const c = container(api);
      expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      const cfg = config(objs);
      const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      expect(ports).toEqual({ http: Number(cfg.PORT), mllp: Number(cfg.MLLP_PORT) });
      expect(cfg.HOST).toBe('0.0.0.0');
      for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) expect(p?.httpGet?.port).toBe('http');
      const svc = named<IService>(objs, 'Service', 'triage-api');
      expect(svc.spec!.selector).toEqual(api.spec!.selector.matchLabels);
      expect(svc.spec!.ports!.map((p) => [p.port, p.targetPort])).toEqual([[8080, 'http'], [2575, 'mllp']]);
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(api.spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + 30);
    });

    it('workers: liveness /healthz and readiness /readyz on their own WORKER_HTTP_PORT, which the configmap sets', () => {
      const cm = objs.find((o) => o.kind === 'ConfigMap') as { data?: Record<string, string> } | undefined;
      const port = Number(cm?.data?.WORKER_HTTP_PORT);
      expect(port).toBeGreaterThan(0);
      for (const d of workers(objs)) {
        const c = container(d);
        expect(c.ports, d.metadata.name).toEqual([{ name: 'metrics', containerPort: port }]);
        expect([c.livenessProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path, c.startupProbe?.httpGet?.path], d.metadata.name).toEqual(['/healthz', '/readyz', '/healthz']);
      }
      // The routes the probes call exist in the worker's HTTP face.
      const src = readFileSync(new URL('../../apps/cli/src/worker-http.ts', import.meta.url), 'utf8');
      for (const route of ['/healthz', '/readyz', '/metrics']) expect(src).toContain(`'${route}'`);
    });

    it('a PodDisruptionBudget per Deployment, selecting exactly its pods', () => {
      const pdbs = ofKind<IPodDisruptionBudget>(objs, 'PodDisruptionBudget');
      for (const d of ofKind<IDeployment>(objs, 'Deployment')) {
        const pdb = pdbs.filter((p) => JSON.stringify(p.spec?.selector?.matchLabels) === JSON.stringify(d.spec!.selector.matchLabels));
        expect(pdb, d.metadata.name).toHaveLength(1);
        expect(pdb[0]!.spec!.maxUnavailable ?? pdb[0]!.spec!.minAvailable).toBeDefined();
      }
    });

    it('storage, network policy and the migration Job', () => {
      const pvc = named<{ spec: { accessModes: string[] } }>(objs, 'PersistentVolumeClaim', 'triage-data');
      expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
      const nps = ofKind<INetworkPolicy>(objs, 'NetworkPolicy').map((n) => ({ ...n, spec: n.spec ?? {} }));
      const all = { 'app.kubernetes.io/part-of': 'referral-triage' };
      expect(nps.some((n) => JSON.stringify(n.spec.podSelector?.matchLabels) === JSON.stringify(all) && n.spec.policyTypes?.includes('Ingress') && !n.spec.ingress)).toBe(true);
      const ingress = nps.find((n) => n.spec.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'api')!;
      expect(ingress.spec.ingress!.flatMap((r) => r.ports!.map((p) => p.port)).sort()).toEqual([2575, 8080]);
      const egress = nps.flatMap((n) => n.spec.egress ?? []).flatMap((r) => r.ports!.map((p) => `${p.protocol}/${p.port}`));
      expect(egress.sort()).toEqual(['TCP/25', 'TCP/465', 'TCP/53', 'TCP/5432', 'TCP/587', 'TCP/6379', 'UDP/53']);
      const job = named<IJob>(objs, 'Job', 'triage-migrate');
      expect(job.spec!.template.spec!.containers[0]!.args).toEqual(['migrate']);
      // `kubectl apply -l referral-triage/phase=pre-rollout` must bring what the Job needs.
      for (const o of [job, named<Obj>(objs, 'ConfigMap', 'triage-config'), named<Obj>(objs, 'ServiceAccount', 'triage')])
        expect(o.metadata.labels?.['referral-triage/phase'], o.kind).toBe('pre-rollout');
    });

    it('the rule checks reject broken copies (they can fail)', async () => {
      const ocr = structuredClone(named<IDeployment>(objs, 'Deployment', 'triage-worker-ocr'));
      const so = structuredClone(named<IScaledObject>(objs, 'ScaledObject', 'triage-worker-ocr'));
      const cfg = config(objs);
      so.spec.advanced!.scalingModifiers!.target = '5';
      so.spec.minReplicaCount = 0;
      delete so.spec.fallback;
      so.spec.triggers[1]!.metadata.listName = 'triage:ocr:waiting';
      expect(scalerProblems(so, ocr, cfg)).toHaveLength(4);
      const pod = ocr.spec!.template.spec!;
      pod.securityContext!.runAsUser = 0;
      pod.containers[0]!.command = ['pnpm', '--silent', 'triage'];
      pod.containers[0]!.env = [{ name: 'DATABASE_URL', value: 'postgres://triage:hunter2@db:5432/triage' }];
      expect(podProblems(ocr, objs, imageUid()).join('\n')).toMatch(/runAsUser 0[\s\S]*command pnpm[\s\S]*literal secret[\s\S]*secretKeyRef/);
      ocr.spec!.template.spec!.terminationGracePeriodSeconds = 35;
      expect(graceProblems([ocr], await drainTimeoutMs())).toHaveLength(1);
    });
  });
});
