import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { SignJWT } from 'jose';

import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import type { Cleanup } from './cleanup';
import { sleep, wallClock } from './clock';
import { watchCommits } from './commit-times';
import { sampleDbActivity } from './db-activity';
import { analyseDeliveries, type LoggedEvent } from './deliveries';
import type { Options } from './options';
import { pendingNotifications, waitForEmptyOutbox } from './outbox';
import type { SizeResult } from './result';
import { seedBenchData, type BenchData } from './seed';
import { createScratchStore, startServerChild, type ScratchStore } from './server-child';
import { ratio, summarize } from './stats';
import { SubscriberFleet } from './subscribers';
import { cancelRequest, probeHttp, runDecisions } from './traffic';

const JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
// The server's PostgreSQL pool size (`max` in src/db/database.ts).
const SERVER_POOL_SIZE = 10;

export const progress = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A token as the server's HS256 verifier expects it: an e-mail claim, two hours. */
async function signToken(email: string): Promise<string> {
  return new SignJWT({ email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(email)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

function openStore(store: ScratchStore) {
  return openDatabase({
    databaseUrl: store.databaseUrl,
    dataDir: store.dataDir,
    log: createLogger({ logFormat: 'json', logLevel: 'warn' }),
  });
}

/** Every event of the run with its row timestamp, read once the server has stopped. */
async function readLoggedEvents(store: ScratchStore): Promise<LoggedEvent[]> {
  const db = await openStore(store);
  try {
    const rows = await db.prisma.requestEvent.findMany({
      select: { id: true, requestId: true, type: true, createdAt: true },
    });
    return rows.map((row) => ({
      id: row.id.toString(),
      requestId: row.requestId,
      type: row.type,
      createdAt: row.createdAt.getTime(),
    }));
  } finally {
    await db.close();
  }
}

/**
 * Cancels one pending request per group and waits until every connected
 * member has received its LEFT: proof that each subscription is registered
 * before anything is timed (graphql-ws does not acknowledge a subscribe).
 */
async function verifyLive(
  fleet: SubscriberFleet,
  data: BenchData,
  url: string,
  token: string,
): Promise<{ live: number; seconds: number }> {
  const start = wallClock();
  for (let from = 0; from < data.warmupRequestIds.length; from += 10) {
    const ids = data.warmupRequestIds.slice(from, from + 10);
    await Promise.all(ids.map((requestId) => cancelRequest(url, token, requestId)));
  }

  const live = new Set<number>();
  while (live.size < fleet.connected.size && wallClock() - start < 60_000) {
    await sleep(100);
    fleet.receipts.forEach((receipt) => live.add(receipt.member));
  }

  return { live: live.size, seconds: Math.round((wallClock() - start) / 100) / 10 };
}

/** Deliveries group membership promises for the cycles that succeeded. */
function countExpected(
  cycles: { group: number; requestId?: string; approved?: unknown }[],
  data: BenchData,
  connected: ReadonlySet<number>,
): number {
  return cycles.reduce((sum, cycle) => {
    if (!cycle.requestId) {
      return sum;
    }
    const members = data.groups[cycle.group]!.filter((member) => connected.has(member.index));

    return sum + members.length * (cycle.approved ? 2 : 1);
  }, 0);
}

/**
 * One size, start to finish: scratch database, server child, N subscribers,
 * warm-up, timed decisions, teardown, analysis. Every resource it opens is
 * registered with `cleanup` first, so an abort releases it too.
 */
export async function runSize(
  size: number,
  options: Options,
  usePostgres: boolean,
  cleanup: Cleanup,
): Promise<SizeResult> {
  const cycleCount = Math.round(options.rate * options.durationS);

  // 1. A scratch database with the schema (the server's own migrations) and
  // the bench's people, groups and apps in it; then everyone's token.
  const store = await createScratchStore(usePostgres ? options.postgresUrl : undefined);
  const dropStore = cleanup.add('drop the scratch database', () => store.drop());
  const seedDb = await openStore(store);
  const data = await seedBenchData(seedDb.prisma, {
    memberCount: size,
    groupCount: options.groups,
    requesterCount: cycleCount,
  }).finally(() => seedDb.close());
  const memberTokens = await Promise.all(
    data.members.map(async ({ index, email }) => ({ index, token: await signToken(email) })),
  );
  const requesterTokens = await Promise.all(data.requesters.map(signToken));
  const warmupToken = await signToken(data.warmupRequester);

  // 2. The server, in its own process.
  const profileDir = path.join(os.tmpdir(), `self-service-bench-profiles-${size}`);
  const server = await startServerChild({
    store,
    jwtSecret: JWT_SECRET,
    nodeFlags: options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  const stopServer = cleanup.add('stop the server', () => server.stop());
  progress(`N=${size}: server pid ${server.pid} on ${server.url} (${store.kind})`);

  // 3. The HTTP reference at rest, then the baseline memory.
  const httpIdle = await probeHttp(server.url, warmupToken, 20, sleep(2_000));
  await sleep(500);
  const rssBefore = server.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rss())), 1_000);
  const stopSampler = cleanup.add('stop sampling memory', async () => clearInterval(sampler));

  // 4. Everyone connects, in batches.
  const fleet = new SubscriberFleet(server.url.replace('http://', 'ws://'));
  const disposeFleet = cleanup.add('close the subscriber sockets', () => fleet.dispose());
  const connectCpu = server.cpuMs();
  const connectStart = wallClock();
  let reported = 0;
  await fleet.connect(memberTokens, options.batch, (done) => {
    if (done - reported >= 2_000 || done === size) {
      reported = done;
      progress(`N=${size}: ${fleet.connected.size}/${done} connections acknowledged`);
    }
  });
  const connectMs = wallClock() - connectStart;
  const cpuConnectPercent = ((server.cpuMs() - connectCpu) / connectMs) * 100;
  await sleep(2_000);
  const rssConnected = server.rss();
  const benchMemory = process.memoryUsage();

  // 5. Every subscription proven live, and the server idle again.
  const warmup = await verifyLive(fleet, data, server.url, warmupToken);
  progress(`N=${size}: ${warmup.live} subscriptions verified live in ${warmup.seconds} s`);
  const outboxDrainS = store.databaseUrl
    ? await waitForEmptyOutbox(store.databaseUrl, 120_000)
    : null;
  const receiptsBefore = fleet.receipts.length;
  await sleep(1_000);

  // 6. Decisions at a steady rate, with the HTTP reference beside them, a
  // watcher noting when each event commits, and the database sampled.
  const commits = store.databaseUrl ? watchCommits(store.databaseUrl, options.commitPollMs) : null;
  const stopCommits = cleanup.add('stop the commit watcher', async () => commits?.stop());
  const activity = store.databaseUrl ? sampleDbActivity(store.databaseUrl, SERVER_POOL_SIZE) : null;
  const stopActivity = cleanup.add('stop sampling the database', async () => {
    await activity?.stop();
  });
  await sleep(500);
  const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const benchCpu = process.cpuUsage();
  const decisionsCpu = server.cpuMs();
  const decisionsStart = wallClock();
  let endProbe = (): void => undefined;
  const probe = probeHttp(server.url, warmupToken, 100, new Promise<void>((r) => (endProbe = r)));
  progress(`N=${size}: ${cycleCount} cycles at ${options.rate}/s`);
  const cycles = await runDecisions({
    url: server.url,
    rate: options.rate,
    count: cycleCount,
    cycle: (index) => {
      const group = index % options.groups;
      const members = data.groups[group]!;
      return {
        group,
        appId: data.appIds[group]!,
        requester: requesterTokens[index]!,
        approver: memberTokens[members[index % members.length]!.index]!.token,
      };
    },
  });

  // 7. The grace period, ended early once everything expected has arrived.
  const expected = countExpected(cycles, data, fleet.connected);
  const graceEnd = wallClock() + options.graceS * 1_000;
  while (fleet.receipts.length - receiptsBefore < expected && wallClock() < graceEnd) {
    await sleep(100);
  }
  endProbe();
  const httpUnderLoad = summarize(await probe);
  const decisionsMs = wallClock() - decisionsStart;
  const cpuDecisionsPercent = ((server.cpuMs() - decisionsCpu) / decisionsMs) * 100;
  const benchCpuUsed = process.cpuUsage(benchCpu);
  loopDelay.disable();
  const rssEnd = server.rss();
  const database = (await activity?.stop()) ?? null;
  await stopActivity();
  await stopSampler();
  await stopCommits();
  const outboxBacklog = store.databaseUrl ? await pendingNotifications(store.databaseUrl) : null;

  // 8. Teardown, then every receipt matched against the log.
  await disposeFleet();
  await stopServer();
  const events = await readLoggedEvents(store);
  await dropStore();
  if (options.cpuProf) {
    progress(`N=${size}: server CPU profile in ${profileDir}`);
  }

  const delivery = analyseDeliveries({
    cycles,
    receipts: fleet.receipts,
    events,
    commits: commits?.windows ?? new Map(),
    groups: data.groups,
    connected: fleet.connected,
    ignoredRequests: new Set(data.warmupRequestIds),
  });
  // Without a commit watcher (PGlite) the writing transaction's start
  // stands in for the commit: an upper bound of the latency, loose by the
  // transaction's duration. (The response arrival would be a lower bound.)
  const latency = delivery.fromCommit.count
    ? { ...delivery.fromCommit, basis: 'commit' as const }
    : { ...delivery.fromRowTimestamp, basis: 'transaction start' as const };
  const failedCycles = cycles.filter((cycle) => cycle.error);
  const roundTrips = (pick: (cycle: (typeof cycles)[number]) => typeof cycle.requested) =>
    summarize(cycles.flatMap((cycle) => pick(cycle) ?? []).map((t) => t.respondedAt - t.sentAt));

  return {
    subscribers: size,
    groups: options.groups,
    loadAverage,
    connections: {
      established: fleet.connected.size,
      failed: Object.fromEntries(fleet.failures),
      droppedDuringRun: fleet.dropped,
      timeToConnectAllS: Math.round(connectMs / 100) / 10,
      handshakeMs: summarize(fleet.handshakeMs),
      verifiedLive: warmup.live,
      warmupS: warmup.seconds,
      outboxDrainS,
    },
    decisions: {
      cycles: cycles.length,
      failed: failedCycles.length,
      firstError: failedCycles[0]?.error,
      requestAppMs: roundTrips((cycle) => cycle.requested),
      approveMs: roundTrips((cycle) => cycle.approved),
      outboxBacklog,
    },
    delivery,
    latency,
    reference: {
      httpIdleMs: summarize(httpIdle),
      httpUnderLoadMs: httpUnderLoad,
      ratioP50: ratio(latency.p50, httpUnderLoad.p50),
      ratioP99: ratio(latency.p99, httpUnderLoad.p99),
    },
    server: {
      rssBeforeMb: mb(rssBefore),
      rssConnectedMb: mb(rssConnected),
      rssEndMb: mb(rssEnd),
      rssPeakMb: mb(Math.max(rssPeak, rssEnd)),
      perConnectionKb: Math.round(
        (rssConnected - rssBefore) / 1024 / Math.max(1, fleet.connected.size),
      ),
      cpuConnectPercent: Math.round(cpuConnectPercent),
      cpuDecisionsPercent: Math.round(cpuDecisionsPercent),
      logLines: server.output.slice(-20),
    },
    database,
    bench: {
      rssMb: mb(benchMemory.rss),
      heapUsedMb: mb(benchMemory.heapUsed),
      cpuDecisionsPercent: Math.round(
        ((benchCpuUsed.user + benchCpuUsed.system) / 1_000 / decisionsMs) * 100,
      ),
      loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
    },
  };
}
