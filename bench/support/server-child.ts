import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';

/** Where the server under test keeps its data for one run. */
export interface ScratchStore {
  kind: 'postgres' | 'pglite';
  /** The server's DATABASE_URL; undefined runs PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** DATA_DIR of the server: generated secrets, and PGlite's files. */
  dataDir: string;
  /** Drops the database and removes the data folder. */
  drop(): Promise<void>;
}

/** Whether a PostgreSQL server answers at `adminUrl` within `timeoutMs`. */
export async function postgresAnswers(adminUrl: string, timeoutMs = 3_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates an empty database on the PostgreSQL server at `adminUrl` (its name
 * marks it as a bench database), or with `adminUrl` undefined an empty
 * PGlite folder.
 */
export async function createScratchStore(adminUrl: string | undefined): Promise<ScratchStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-bench-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (!adminUrl) {
    return { kind: 'pglite', databaseUrl: undefined, dataDir, drop: async () => removeDir() };
  }

  const name = `self_service_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  return {
    kind: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
        removeDir();
      }
    },
  };
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Reads one `Vm*` line of /proc/<pid>/status, in bytes. */
function readStatusBytes(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) {
    throw new Error(`/proc/${pid}/status has no ${field} line`);
  }

  return Number(match[1]) * 1024;
}

// Linux reports CPU time in clock ticks; 100 per second on every common build.
const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process so far, in milliseconds. */
function readCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);

  return (ticks * 1_000) / CLOCK_TICKS_PER_SECOND;
}

export interface ServerChild {
  pid: number;
  /** The GraphQL endpoint over HTTP. */
  url: string;
  /** Resident memory of the server process now (VmRSS), in bytes. */
  rss(): number;
  /** CPU time the server process has used so far, in milliseconds. */
  cpuMs(): number;
  /** Lines the server wrote to stdout or stderr (warnings and errors at LOG_LEVEL=warn). */
  output: string[];
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerChildOptions {
  store: ScratchStore;
  jwtSecret: string;
  /** Extra node flags for the server, such as --cpu-prof. */
  nodeFlags?: string[];
  /** How long to wait for /ready. */
  readyTimeoutMs?: number;
}

// Settings from the caller's shell that would change what is measured.
const SCRUBBED_ENV = [
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'ADMIN_EMAILS',
  'NODE_ENV',
  'NODE_OPTIONS',
  'LOG_FORMAT',
];

/**
 * Starts `node --import tsx src/main.ts` as its own process on 127.0.0.1,
 * as an operator would, and resolves once /ready answers 200.
 */
export async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED_ENV) {
    delete env[name];
  }
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: options.store.dataDir,
    AUTH_JWT_SECRET: options.jwtSecret,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ...(options.store.databaseUrl && { DATABASE_URL: options.store.databaseUrl }),
  });

  const root = path.resolve(__dirname, '../..');
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', 'src/main.ts'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 200));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with ${child.exitCode}:\n${output.join('\n')}`);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/ready`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /ready in time:\n${output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const pid = child.pid!;
  return {
    pid,
    url,
    output,
    rss: () => readStatusBytes(pid, 'VmRSS'),
    cpuMs: () => readCpuMs(pid),
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
