import type { Prisma, RequestEventType } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';

export interface NewEvent {
  requestId: string;
  type: RequestEventType;
  /** Null when the system acted (a timeout). */
  actorId: string | null;
  /**
   * User ids whose view of the request this event changes: the requester,
   * and the approvers whose queue the request enters or leaves.
   */
  audience: Iterable<string>;
  data?: Prisma.InputJsonObject;
}

/**
 * Collects the events one transaction appends, so that the caller can
 * announce them once the transaction has committed.
 */
export class EventLog {
  readonly ids: bigint[] = [];

  constructor(private readonly tx: Tx) {}

  async append(event: NewEvent): Promise<void> {
    const row = await this.tx.requestEvent.create({
      data: {
        requestId: event.requestId,
        type: event.type,
        actorId: event.actorId,
        audience: [...new Set(event.audience)],
        data: event.data ?? {},
      },
      select: { id: true },
    });
    this.ids.push(row.id);
  }
}
