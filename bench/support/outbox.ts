import pg from 'pg';

import { sleep, wallClock } from './clock';

/** Notifications still waiting in the server's outbox. */
export async function pendingNotifications(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE status = 'PENDING'",
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/**
 * Waits until the server's delivery worker has worked off the outbox, so a
 * measurement does not start while the server is still busy with the
 * notifications of earlier requests. Returns the seconds waited, or null if
 * the outbox was still not empty after `timeoutMs`.
 */
export async function waitForEmptyOutbox(
  databaseUrl: string,
  timeoutMs: number,
): Promise<number | null> {
  const start = wallClock();
  while (wallClock() - start < timeoutMs) {
    if ((await pendingNotifications(databaseUrl)) === 0) {
      return Math.round((wallClock() - start) / 100) / 10;
    }
    await sleep(500);
  }

  return null;
}
