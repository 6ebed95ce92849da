import type { Logger } from '../logger';

export interface PeriodicTask {
  /** Runs the task soon, without waiting for the next tick. */
  wake(): void;
  /** Stops ticking and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once; a wake during a
 * run schedules one more run right after it. Failures are logged and the
 * next tick tries again.
 */
export function startPeriodic(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  log: Logger,
): PeriodicTask {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const run = (): void => {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = task()
      .then(() => undefined)
      .catch((error: unknown) => {
        log.error({ err: error, task: name }, `${name} failed; retrying on the next tick`);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };

  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();

  return {
    wake: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
