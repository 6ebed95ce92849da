import type { Logger } from '../logger';
import { createDelivery } from '../services/notifications/delivery';
import type { RequestDeps } from '../services/requests/deps';
import { sweepTimeouts } from '../services/requests/timeouts';
import { startPeriodic } from './periodic';

export interface WorkerOptions {
  deps: RequestDeps;
  log: Logger;
  smtpUrl: string | undefined;
  /** How often to look for ended windows and due notifications. */
  intervalMs?: number;
}

export interface Workers {
  /** Deliver notifications now (called after a change commits). */
  wakeDelivery(): void;
  stop(): Promise<void>;
}

/**
 * The background work every instance does: firing step timeouts and
 * delivering the notification outbox. Both claim rows with row locks, so
 * any number of instances can run them side by side.
 */
export function startWorkers(options: WorkerOptions): Workers {
  const { deps, log } = options;
  // Half a second keeps a timeout within about a second of its window.
  const intervalMs = options.intervalMs ?? 500;

  const delivery = createDelivery({ prisma: deps.prisma, log, smtpUrl: options.smtpUrl });
  const timeouts = startPeriodic('timeout sweep', intervalMs, () => sweepTimeouts(deps), log);
  const outbox = startPeriodic(
    'notification delivery',
    intervalMs,
    () => delivery.deliverDue(),
    log,
  );

  return {
    wakeDelivery: outbox.wake,
    async stop() {
      await Promise.all([timeouts.stop(), outbox.stop()]);
      delivery.close();
    },
  };
}
