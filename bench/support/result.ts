import type { DbActivity } from './db-activity';
import type { DeliveryReport } from './deliveries';
import { formatTable, type Summary } from './stats';

/** Everything measured at one size; written as is into the results file. */
export interface SizeResult {
  subscribers: number;
  groups: number;
  /**
   * The machine's 1-minute load average as the decisions began: other work
   * on the machine (the bench's own children included) competes for its cores.
   */
  loadAverage: number;
  connections: {
    established: number;
    failed: Record<string, number>;
    droppedDuringRun: number;
    timeToConnectAllS: number;
    /** Opening a socket to connection_ack, per connection. */
    handshakeMs: Summary;
    /** Subscribers that received the warm-up event: their subscription is live. */
    verifiedLive: number;
    warmupS: number;
    /** Seconds the server then needed to empty its notification outbox. */
    outboxDrainS: number | null;
  };
  decisions: {
    cycles: number;
    failed: number;
    firstError: string | undefined;
    /** HTTP round trips of the mutations. */
    requestAppMs: Summary;
    approveMs: Summary;
    /** Notifications still unsent when the grace period ended. */
    outboxBacklog: number | null;
  };
  delivery: DeliveryReport;
  /** The latency the tables and the aim use, and what it is measured from. */
  latency: Summary & { basis: 'commit' | 'transaction start' };
  reference: {
    /** `{ __typename }` over HTTP before any subscriber connected. */
    httpIdleMs: Summary;
    /** The same while the decisions ran. */
    httpUnderLoadMs: Summary;
    /** Subscription latency over the HTTP round trip under load. */
    ratioP50: number | null;
    ratioP99: number | null;
  };
  server: {
    rssBeforeMb: number;
    rssConnectedMb: number;
    rssEndMb: number;
    /** Highest RSS sampled each second from the first connection to the end. */
    rssPeakMb: number;
    /** (RSS connected − RSS before) / connections established. */
    perConnectionKb: number;
    /** CPU time over wall time, in percent of one core. */
    cpuConnectPercent: number;
    cpuDecisionsPercent: number;
    /** The last lines the server logged (warnings and errors only). */
    logLines: string[];
  };
  /** The server's database connections during the decisions (PostgreSQL only). */
  database: DbActivity | null;
  bench: {
    rssMb: number;
    heapUsedMb: number;
    cpuDecisionsPercent: number;
    /** Event-loop delay of this process: how late a receipt may be stamped. */
    loopDelayP99Ms: number;
  };
}

const cell = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : String(value);

/** The two tables the bench prints: delivery, then memory and CPU. */
export function formatResults(results: SizeResult[]): string {
  const delivery = [
    ['subscribers', 'connected', 'live', 'connect s', 'p50', 'p95', 'p99', 'max'].concat([
      'http p50',
      'http p99',
      'p99 ratio',
      'expected',
      'received',
      'lost',
    ]),
    ...results.map((r) => [
      cell(r.subscribers),
      cell(r.connections.established),
      cell(r.connections.verifiedLive),
      cell(r.connections.timeToConnectAllS),
      cell(r.latency.p50),
      cell(r.latency.p95),
      cell(r.latency.p99),
      cell(r.latency.max),
      cell(r.reference.httpUnderLoadMs.p50),
      cell(r.reference.httpUnderLoadMs.p99),
      cell(r.reference.ratioP99),
      cell(r.delivery.expected),
      cell(r.delivery.received),
      cell(r.delivery.lost),
    ]),
  ];
  const resources = [
    ['subscribers', 'rss before MB', 'rss connected MB', 'KB/conn', 'rss end MB']
      .concat(['cpu connect %', 'cpu decisions %', 'db busy', 'pool full %'])
      .concat(['bench rss MB', 'bench cpu %', 'bench lag p99']),
    ...results.map((r) => [
      cell(r.subscribers),
      cell(r.server.rssBeforeMb),
      cell(r.server.rssConnectedMb),
      cell(r.server.perConnectionKb),
      cell(r.server.rssEndMb),
      cell(r.server.cpuConnectPercent),
      cell(r.server.cpuDecisionsPercent),
      cell(r.database?.meanBusy),
      cell(r.database?.poolExhaustedPercent),
      cell(r.bench.rssMb),
      cell(r.bench.cpuDecisionsPercent),
      cell(r.bench.loopDelayP99Ms),
    ]),
  ];
  const basis = results[0]?.latency.basis ?? 'commit';

  return [
    `Delivery latency in ms, from ${basis} to receipt; HTTP { __typename } under the same load`,
    formatTable(delivery),
    '',
    'Memory and CPU of the server process (CPU in % of one core), and of the bench process',
    formatTable(resources),
  ].join('\n');
}
