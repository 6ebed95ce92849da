import pg from 'pg';

/** How the server's PostgreSQL connections spent the measured phase. */
export interface DbActivity {
  samples: number;
  /** Mean number of the server's connections in each state. */
  meanBusy: number;
  meanWaitingOnAdvisoryLock: number;
  meanIdleInTransaction: number;
  /** Share of samples in which at least `poolSize` connections were busy. */
  poolExhaustedPercent: number;
}

export const WATCHER_APPLICATION_NAME = 'bench-commit-watcher';

/**
 * Samples pg_stat_activity of the server's database every `intervalMs`
 * until stopped. "Busy" is every connection not idle: running a query,
 * waiting for a lock, or inside a transaction while the server computes.
 * The server's pool holds `poolSize` connections (src/db/database.ts), so
 * when that many are busy every other query, including the event log
 * reader's, queues in the pool.
 */
export function sampleDbActivity(
  databaseUrl: string,
  poolSize: number,
  intervalMs = 100,
): { stop(): Promise<DbActivity> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const name = new URL(databaseUrl).pathname.slice(1);
  const rows: { busy: number; advisory: number; idleInTx: number }[] = [];
  let stopped = false;

  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const {
        rows: [row],
      } = await client.query<{
        busy: number;
        advisory: number;
        idle_in_tx: number;
      }>(
        `SELECT
           count(*) FILTER (WHERE state <> 'idle')::int AS busy,
           count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory')::int
             AS advisory,
           count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS idle_in_tx
         FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
        [name, WATCHER_APPLICATION_NAME],
      );
      rows.push({ busy: row!.busy, advisory: row!.advisory, idleInTx: row!.idle_in_tx });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    await client.end();
  })();

  const mean = (pick: (row: (typeof rows)[number]) => number): number =>
    rows.length
      ? Math.round((rows.reduce((sum, row) => sum + pick(row), 0) / rows.length) * 10) / 10
      : 0;

  return {
    async stop() {
      stopped = true;
      await loop;
      return {
        samples: rows.length,
        meanBusy: mean((row) => row.busy),
        meanWaitingOnAdvisoryLock: mean((row) => row.advisory),
        meanIdleInTransaction: mean((row) => row.idleInTx),
        poolExhaustedPercent: Math.round(
          (rows.filter((row) => row.busy >= poolSize).length / Math.max(1, rows.length)) * 100,
        ),
      };
    },
  };
}
