import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../apps/cli/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A child process and what the harness knows of its life: booted when it logged that its workers run. */
export type Proc = {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  startedAt: number;
  bootedAt?: number;
  frozenUntil?: number;
  termAt?: number;
  killedAt?: number;
};

const BOOTED = /"msg":"(workers started|api listening)"/;

export function spawnTriage(name: string, args: string[], env: Record<string, string>, logs: string[]): Proc {
  // node itself, not the tsx CLI: the tsx CLI wraps a second process and would take the signals.
  // TRIAGE_NODE_ARGS: extra node flags for the children (e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile a bench).
  const nodeArgs = (process.env.TRIAGE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // A pipe chunk can end mid-line: keep the tail until its newline arrives.
  const lines = () => {
    let tail = '';
    return (b: Buffer) => {
      const parts = (tail + b.toString()).split('\n');
      tail = parts.pop() ?? '';
      for (const l of parts) {
        if (!l.trim()) continue;
        logs.push(`${name} ${l}`);
        if (proc.bootedAt === undefined && BOOTED.test(l)) proc.bootedAt = Date.now();
      }
    };
  };
  child.stdout?.on('data', lines());
  child.stderr?.on('data', lines());
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const proc: Proc = { name, child, exited, startedAt: Date.now() };
  return proc;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** A private Redis for the chaos run, so FLUSHALL and restarts touch nobody else. */
export async function startPrivateRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 300));
  return child;
}

export async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}
