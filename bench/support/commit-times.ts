import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/** When an event row became visible: after `after` and by `by`, wall-clock ms. */
export interface CommitWindow {
  after: number;
  by: number;
}

export interface CommitTimes {
  /** Commit windows by event id, filled in as the watcher reports them. */
  windows: Map<string, CommitWindow>;
  stop(): Promise<void>;
}

/**
 * Starts bench/support/commit-watcher.ts in a child process against the
 * server's PostgreSQL database, polling every `intervalMs`.
 */
export function watchCommits(databaseUrl: string, intervalMs: number): CommitTimes {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'commit-watcher.ts'), databaseUrl, String(intervalMs)],
    // From the repository root, where `--import tsx` finds the package.
    { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const windows = new Map<string, CommitWindow>();
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const [id, after, by] = line.split(' ');
    windows.set(id!, { after: Number(after), by: Number(by) });
  });
  // 'close' comes after the last line of stdout, unlike 'exit'.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  return {
    windows,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
