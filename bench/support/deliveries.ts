import type { CommitWindow } from './commit-times';
import type { Member } from './seed';
import { summarize, type Summary } from './stats';
import type { Receipt } from './subscribers';
import type { Cycle } from './traffic';

/** A queue event as the log stored it; `createdAt` is wall-clock ms. */
export interface LoggedEvent {
  id: string;
  requestId: string;
  type: string;
  createdAt: number;
}

export interface DeliveryReport {
  expected: number;
  received: number;
  lost: number;
  /** Receipts nobody expected: a wrong audience or an unknown cursor. */
  unexpected: number;
  duplicates: number;
  /**
   * Receive time minus the moment the event's transaction was last seen
   * uncommitted (an upper bound of the true delivery latency, loose by at
   * most `commitWindowMs`); empty without a commit watcher (PGlite).
   */
  fromCommit: Summary;
  /** How precisely the commit was bracketed: width of its window. */
  commitWindowMs: Summary;
  /** Receive time minus the event row's timestamp: the writing transaction's start. */
  fromRowTimestamp: Summary;
  /** Receive time minus the arrival of the mutation's HTTP response (a lower bound). */
  fromResponse: Summary;
  /** Receive time minus the moment the mutation was sent. */
  fromSend: Summary;
}

const CHANGE_OF_EVENT: Record<string, Receipt['type']> = {
  STEP_STARTED: 'ENTERED',
  STEP_APPROVED: 'LEFT',
};

/**
 * Matches receipts against what group membership says must arrive: every
 * connected member of the app's group sees ENTERED when a request is
 * created and LEFT when it is approved. Receipts of `ignoredRequests` (the
 * warm-up) are left out of every count.
 */
export function analyseDeliveries(input: {
  cycles: Cycle[];
  receipts: Receipt[];
  events: LoggedEvent[];
  commits: ReadonlyMap<string, CommitWindow>;
  groups: Member[][];
  connected: ReadonlySet<number>;
  ignoredRequests: ReadonlySet<string>;
}): DeliveryReport {
  const key = (member: number, requestId: string, change: string) =>
    `${member}:${requestId}:${change}`;

  const expected = new Set<string>();
  const cycleOfRequest = new Map<string, Cycle>();
  for (const cycle of input.cycles) {
    if (!cycle.requestId) {
      continue;
    }
    cycleOfRequest.set(cycle.requestId, cycle);
    for (const member of input.groups[cycle.group]!) {
      if (input.connected.has(member.index)) {
        expected.add(key(member.index, cycle.requestId, 'ENTERED'));
        if (cycle.approved) {
          expected.add(key(member.index, cycle.requestId, 'LEFT'));
        }
      }
    }
  }

  const eventOfCursor = new Map(input.events.map((event) => [event.id, event]));
  const seen = new Set<string>();
  const fromCommit: number[] = [];
  const fromRowTimestamp: number[] = [];
  const fromResponse: number[] = [];
  const fromSend: number[] = [];
  let unexpected = 0;
  let duplicates = 0;
  for (const receipt of input.receipts) {
    const event = eventOfCursor.get(receipt.cursor);
    if (event && input.ignoredRequests.has(event.requestId)) {
      continue;
    }
    const pair = event && key(receipt.member, event.requestId, receipt.type);
    if (!event || CHANGE_OF_EVENT[event.type] !== receipt.type || !expected.has(pair!)) {
      unexpected += 1;
      continue;
    }
    if (seen.has(pair!)) {
      duplicates += 1;
      continue;
    }
    seen.add(pair!);

    const cycle = cycleOfRequest.get(event.requestId)!;
    const mutation = receipt.type === 'ENTERED' ? cycle.requested! : cycle.approved!;
    const commit = input.commits.get(receipt.cursor);
    if (commit) {
      fromCommit.push(receipt.at - commit.after);
    }
    fromRowTimestamp.push(receipt.at - event.createdAt);
    fromResponse.push(receipt.at - mutation.respondedAt);
    fromSend.push(receipt.at - mutation.sentAt);
  }

  return {
    expected: expected.size,
    received: seen.size,
    lost: expected.size - seen.size,
    unexpected,
    duplicates,
    fromCommit: summarize(fromCommit),
    commitWindowMs: summarize(
      input.events.flatMap((event) => {
        const commit = input.commits.get(event.id);
        return commit && cycleOfRequest.has(event.requestId) ? [commit.by - commit.after] : [];
      }),
    ),
    fromRowTimestamp: summarize(fromRowTimestamp),
    fromResponse: summarize(fromResponse),
    fromSend: summarize(fromSend),
  };
}
