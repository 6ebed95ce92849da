import { followEvents } from '../src/events/follow';
import type { LogEvent } from '../src/events/log-events';
import type { LogListener, LogTailer } from '../src/events/log-tailer';
import type { PrismaClient } from '../src/generated/prisma/client';

/** A tailer stand-in that lets the test emit live events by hand. */
function manualTailer() {
  const listeners = new Set<LogListener>();

  return {
    tailer: {
      listen: (_keys: string[], listener: LogListener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    } as unknown as LogTailer,
    emit: (event: LogEvent) => listeners.forEach((listener) => listener(event)),
    get listening() {
      return listeners.size;
    },
  };
}

const event = (id: number): LogEvent => ({
  id: BigInt(id),
  requestId: 'r',
  requesterId: 'u',
  type: 'STEP_STARTED',
  queueEntered: [],
  queueLeft: [],
});

describe('followEvents', () => {
  it('delivers live events in order and skips ones it already delivered', async () => {
    const live = manualTailer();
    const stream = followEvents({
      prisma: {} as PrismaClient,
      tailer: live.tailer,
      keys: ['k'],
      where: {},
      after: undefined,
      select: (e) => e.id,
    })[Symbol.asyncIterator]();
    const first = stream.next();
    await new Promise((resolve) => setImmediate(resolve));

    live.emit(event(1));
    live.emit(event(2));
    live.emit(event(2));
    live.emit(event(3));

    expect((await first).value).toBe(1n);
    expect((await stream.next()).value).toBe(2n);
    expect((await stream.next()).value).toBe(3n);
    await stream.return?.();
    expect(live.listening).toBe(0);
  });

  it('ends a subscriber that stops reading, telling it to resume with its cursor', async () => {
    const live = manualTailer();
    const stream = followEvents({
      prisma: {} as PrismaClient,
      tailer: live.tailer,
      keys: ['k'],
      where: {},
      after: undefined,
      select: (e) => e.id,
    })[Symbol.asyncIterator]();
    const first = stream.next();
    await new Promise((resolve) => setImmediate(resolve));

    for (let id = 1; id <= 600; id += 1) {
      live.emit(event(id));
    }

    expect((await first).value).toBe(1n);
    expect(live.listening).toBe(0);
    const drained: unknown[] = [];
    await expect(
      (async () => {
        for (;;) {
          const next = await stream.next();
          if (next.done) return;
          drained.push(next.value);
        }
      })(),
    ).rejects.toMatchObject({ extensions: { code: 'SUBSCRIBER_TOO_SLOW' } });
    expect(drained.length).toBeGreaterThan(400);
  });
});
