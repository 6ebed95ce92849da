import path from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]
  --sizes 1000,5000,10000   subscriber counts, one run each
  --groups 100              approver groups (one app per group)
  --rate 1                  request-and-approve cycles started per second
  --duration 20             seconds of decisions per size
  --batch 250               connections opened at once
  --grace 5                 seconds to wait for late events
  --commit-poll 5           ms between polls of the event log for commit times
  --timeout 10              minutes before the whole bench gives up
  --postgres-url URL        admin URL for the scratch databases
                            (default postgres://root@127.0.0.1:5432/postgres)
  --pglite                  use PGlite even if PostgreSQL answers
  --cpu-prof                write a CPU profile of each server child
  --out FILE                results file (default bench/results/subscriptions-<date>.json)`;

export interface Options {
  sizes: number[];
  groups: number;
  /** Request-and-approve cycles started per second. */
  rate: number;
  durationS: number;
  /** Connections opened at once. */
  batch: number;
  graceS: number;
  commitPollMs: number;
  timeoutMin: number;
  /** Where scratch databases are created (and dropped). */
  postgresUrl: string;
  pglite: boolean;
  cpuProf: boolean;
  out: string;
}

/** Prints `message` and the usage to stderr and exits with 2. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    fail(`--${name} must be a positive number, got "${raw}"`);
  }

  return value;
}

/** Reads the command line; exits with the usage on anything it does not accept. */
export function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        sizes: { type: 'string', default: '1000,5000,10000' },
        groups: { type: 'string', default: '100' },
        rate: { type: 'string', default: '1' },
        duration: { type: 'string', default: '20' },
        batch: { type: 'string', default: '250' },
        grace: { type: 'string', default: '5' },
        'commit-poll': { type: 'string', default: '5' },
        timeout: { type: 'string', default: '10' },
        'postgres-url': { type: 'string', default: 'postgres://root@127.0.0.1:5432/postgres' },
        pglite: { type: 'boolean', default: false },
        'cpu-prof': { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }

  // The bench sends traffic to this machine only.
  const postgresUrl = parsed['postgres-url'];
  if (!['127.0.0.1', 'localhost'].includes(new URL(postgresUrl).hostname)) {
    fail('--postgres-url must point at this machine (127.0.0.1)');
  }
  const date = new Date().toISOString().slice(0, 10);

  return {
    sizes: parsed.sizes.split(',').map((size) => Math.round(positive('sizes', size))),
    groups: Math.round(positive('groups', parsed.groups)),
    rate: positive('rate', parsed.rate),
    durationS: positive('duration', parsed.duration),
    batch: Math.round(positive('batch', parsed.batch)),
    graceS: positive('grace', parsed.grace),
    commitPollMs: positive('commit-poll', parsed['commit-poll']),
    timeoutMin: positive('timeout', parsed.timeout),
    postgresUrl,
    pglite: parsed.pglite,
    cpuProf: parsed['cpu-prof'],
    out: parsed.out ?? path.join(__dirname, '..', 'results', `subscriptions-${date}.json`),
  };
}
