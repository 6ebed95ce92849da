import type { Prisma, RequestEventType } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';

export interface NewEvent {
  requestId: string;
  type: RequestEventType;
  /** Null when the system acted (a timeout). */
  actorId: string | null;
  requesterId: string;
  /** People whose approval queue the request enters with this event. */
  entered?: Iterable<string>;
  /** People whose approval queue the request leaves with this event. */
  left?: Iterable<string>;
  data?: Prisma.InputJsonObject;
}

// Any constant will do; every writer of request events takes this lock.
const EVENT_ORDER_LOCK = 5_813_120_447;

/**
 * Collects the events one transaction appends, so that the caller can
 * announce them once the transaction has committed.
 *
 * Readers follow the log by id ("everything after N"), which is only safe if
 * ids become visible in order. A sequence hands out ids at insert time, not
 * at commit, so two transactions could commit 12 before 11 and a reader at 12
 * would never see 11. The first append of each transaction therefore takes a
 * transaction-scoped advisory lock: event-writing transactions commit one
 * after another, in id order. Request decisions are rare enough for this.
 */
export class EventLog {
  readonly ids: bigint[] = [];

  constructor(private readonly tx: Tx) {}

  async append(event: NewEvent): Promise<void> {
    if (this.ids.length === 0) {
      await this.tx.$executeRaw`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK}::bigint)`;
    }

    const entered = [...new Set(event.entered ?? [])];
    const left = [...new Set(event.left ?? [])];
    const row = await this.tx.requestEvent.create({
      data: {
        requestId: event.requestId,
        type: event.type,
        actorId: event.actorId,
        audience: [...new Set([event.requesterId, ...entered, ...left])],
        data: {
          ...event.data,
          ...(entered.length ? { queueEntered: entered } : {}),
          ...(left.length ? { queueLeft: left } : {}),
        },
      },
      select: { id: true },
    });
    this.ids.push(row.id);
  }
}
