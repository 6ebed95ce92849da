import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with a fraction, comparable with timestamps the
 * database writes on this machine (both read the system clock).
 */
export const wallClock = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
