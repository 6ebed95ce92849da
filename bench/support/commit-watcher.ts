/*
 * node --import tsx bench/support/commit-watcher.ts <database-url> <interval-ms>
 *
 * Watches the request event log of the server under test from a process of
 * its own (so a busy bench event loop cannot delay it) and prints, for every
 * event row that becomes visible, one line: `<id> <after> <by>`. The row
 * committed after `after` (when the last poll that did not see it was sent)
 * and by `by` (when the poll that saw it answered), in wall-clock ms.
 * PostgreSQL does not record commit times unless track_commit_timestamp is
 * on, so this bracket is how the bench learns when a decision committed.
 */
import pg from 'pg';

import { sleep, wallClock } from './clock';
import { WATCHER_APPLICATION_NAME } from './db-activity';

async function main(): Promise<void> {
  const [url, interval] = process.argv.slice(2);
  const intervalMs = Number(interval);
  if (!url || !(intervalMs > 0)) {
    throw new Error('usage: commit-watcher.ts <database-url> <interval-ms>');
  }

  const client = new pg.Client({
    connectionString: url,
    application_name: WATCHER_APPLICATION_NAME,
  });
  await client.connect();
  let stopped = false;
  process.stdin.on('end', () => (stopped = true));
  process.stdin.resume();

  let lastId = '0';
  let previousSent = wallClock();
  while (!stopped) {
    const sent = wallClock();
    const { rows } = await client.query<{ id: string }>(
      'SELECT id::text AS id FROM request_events WHERE id > $1 ORDER BY id',
      [lastId],
    );
    const answered = wallClock();
    if (rows.length) {
      process.stdout.write(rows.map((row) => `${row.id} ${previousSent} ${answered}\n`).join(''));
      lastId = rows.at(-1)!.id;
    }
    previousSent = sent;
    await sleep(Math.max(0, sent + intervalMs - wallClock()));
  }
  await client.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`commit-watcher: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
