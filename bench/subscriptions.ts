/*
 * npm run bench -- [--sizes 1000,5000,10000] [--rate 1] [--duration 20] ...
 *
 * Subscription benchmark. For each size N it starts the server in a child
 * process on a scratch database, seeds N approvers in G groups, opens N
 * graphql-ws connections from this process (each with its own token,
 * subscribed to approvalQueueChanged), then creates and approves requests
 * at a steady rate and records when every expected event reached every
 * subscriber. It prints two tables and writes
 * bench/results/subscriptions-<date>.json. Everything it starts it stops:
 * sockets, server, database. Method and reading: BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Cleanup } from './support/cleanup';
import { fail, parseOptions } from './support/options';
import { formatResults, type SizeResult } from './support/result';
import { progress, runSize } from './support/run-size';
import { postgresAnswers } from './support/server-child';

/** What the bench is for: the figures BENCHMARKS.md reads the results against. */
const AIM = { subscribers: 10_000, p99Ms: 250, lost: 0 };

/** The soft limit on open files of this process, which the server child inherits. */
function openFileLimit(): number {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);

  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** The machine and the code measured. */
function describeRun() {
  const output = (command: string, ...args: string[]): string | undefined => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trimEnd();
    } catch {
      return undefined;
    }
  };
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1];

  return {
    commit: output('git', 'rev-parse', '--short', 'HEAD'),
    /** Uncommitted changes under src/ when the bench ran. */
    srcChanges: output('git', 'status', '--porcelain', '--', 'src')?.split('\n').filter(Boolean),
    cpus: os.availableParallelism(),
    cpuModel: cpu ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: os.release(),
    postgres: output('psql', '--version'),
  };
}

function aimMet(results: SizeResult[]): boolean | null {
  const largest = results.find((result) => result.subscribers === AIM.subscribers);
  if (!largest) {
    return null;
  }

  return (
    largest.connections.established === AIM.subscribers &&
    (largest.latency.p99 ?? Infinity) < AIM.p99Ms &&
    largest.delivery.lost === AIM.lost
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Each subscriber is one socket here and one in the server, plus a margin
  // for database connections, HTTP clients and files.
  const needed = Math.max(...options.sizes) + 1_000;
  if (openFileLimit() < needed) {
    fail(
      `the open-file limit is ${openFileLimit()}, below the ${needed} the largest size needs; ` +
        'run through `npm run bench`, which raises it, or raise it with `ulimit -n`',
    );
  }

  // Whatever happens (failure, Ctrl-C, the time limit), what was started is
  // stopped and the scratch databases are dropped.
  const cleanup = new Cleanup();
  const abort = async (why: string, code: number) => {
    progress(`${why}: cleaning up`);
    await cleanup.runAll(progress);
    process.exit(code);
  };
  const deadline = setTimeout(
    () => void abort(`time limit of ${options.timeoutMin} min reached`, 1),
    options.timeoutMin * 60_000,
  );
  process.on('SIGINT', () => void abort('interrupted', 130));
  process.on('SIGTERM', () => void abort('terminated', 143));

  const usePostgres = !options.pglite && (await postgresAnswers(options.postgresUrl));
  progress(
    usePostgres
      ? `PostgreSQL answers at ${new URL(options.postgresUrl).host}: scratch databases there`
      : 'PostgreSQL did not answer (or --pglite): PGlite in a temporary DATA_DIR',
  );

  const results: SizeResult[] = [];
  try {
    for (const size of options.sizes) {
      const result = await runSize(size, options, usePostgres, cleanup);
      results.push(result);
      progress(
        `N=${size}: p99 ${result.latency.p99} ms, lost ${result.delivery.lost}, ` +
          `${result.connections.established} connected`,
      );
    }
  } finally {
    await cleanup.runAll(progress);
  }
  clearTimeout(deadline);

  const met = aimMet(results);
  const report = {
    date: new Date().toISOString(),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    run: describeRun(),
    database: usePostgres ? 'postgresql' : 'pglite',
    options: { ...options, out: undefined },
    aim: { ...AIM, met },
    results,
  };
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);

  const verdict = met === null ? 'not measured at this size' : met ? 'met' : 'NOT met';
  process.stdout.write(
    `\n${formatResults(results)}\n\n` +
      `Aim (${AIM.subscribers} subscribers, p99 < ${AIM.p99Ms} ms, none lost): ${verdict}\n` +
      `Results: ${path.relative(process.cwd(), options.out)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
