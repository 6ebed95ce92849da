import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import { sleep, wallClock } from './clock';

/** POSTs one operation to the server; returns `data` or throws with the errors. */
export async function postGraphQL<Data>(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }

  return body.data;
}

const REQUEST_APP = `
  mutation BenchRequestApp($appId: ID!) {
    requestApp(input: { appId: $appId }) {
      __typename
      ... on RequestAppPayload { request { id } }
      ... on Error { message }
    }
  }`;

const APPROVE = `
  mutation BenchApprove($requestId: ID!) {
    approveRequest(input: { requestId: $requestId }) {
      __typename
      ... on Error { message }
    }
  }`;

interface Payload {
  __typename: string;
  message?: string;
  request?: { id: string };
}

/** One timed mutation: wall-clock ms when it was sent and when its response arrived. */
export interface Timed {
  sentAt: number;
  respondedAt: number;
}

/** A request created by one requester and approved by one member of the app's group. */
export interface Cycle {
  group: number;
  /** The request's database id, once requestApp succeeded. */
  requestId?: string;
  requested?: Timed;
  approved?: Timed;
  error?: string;
}

/** requestApp: the request enters the queue of every member of the app's group. */
export async function requestApp(
  url: string,
  token: string,
  appId: string,
): Promise<{ requestId: string; timed: Timed }> {
  const sentAt = wallClock();
  const data = await postGraphQL<{ requestApp: Payload }>(url, token, REQUEST_APP, { appId });
  const respondedAt = wallClock();
  const { request, __typename, message } = data.requestApp;
  if (!request) {
    throw new Error(`requestApp answered ${__typename}: ${message}`);
  }

  return { requestId: decodeGlobalID(request.id).id, timed: { sentAt, respondedAt } };
}

async function approve(url: string, token: string, requestId: string): Promise<Timed> {
  const sentAt = wallClock();
  const data = await postGraphQL<{ approveRequest: Payload }>(url, token, APPROVE, {
    requestId: encodeGlobalID('AppRequest', requestId),
  });
  const respondedAt = wallClock();
  if (data.approveRequest.__typename !== 'ApproveRequestPayload') {
    throw new Error(
      `approveRequest answered ${data.approveRequest.__typename}: ${data.approveRequest.message}`,
    );
  }

  return { sentAt, respondedAt };
}

const CANCEL = `
  mutation BenchCancel($requestId: ID!) {
    cancelRequest(input: { requestId: $requestId }) {
      __typename
      ... on Error { message }
    }
  }`;

/** cancelRequest: the request leaves the queue of every member of the app's group. */
export async function cancelRequest(url: string, token: string, requestId: string): Promise<void> {
  const data = await postGraphQL<{ cancelRequest: Payload }>(url, token, CANCEL, {
    requestId: encodeGlobalID('AppRequest', requestId),
  });
  if (data.cancelRequest.__typename !== 'CancelRequestPayload') {
    throw new Error(
      `cancelRequest answered ${data.cancelRequest.__typename}: ${data.cancelRequest.message}`,
    );
  }
}

export interface DecisionPlan {
  url: string;
  /** Cycles started per second. */
  rate: number;
  count: number;
  /** Group, app, requester token and approver token of cycle `index`. */
  cycle(index: number): { group: number; appId: string; requester: string; approver: string };
}

/**
 * Starts `count` cycles at a steady `rate`, whether or not earlier ones have
 * finished: each requests an app, and once that has committed, approves it.
 * Resolves when every cycle has ended.
 */
export async function runDecisions(plan: DecisionPlan): Promise<Cycle[]> {
  const cycles: Cycle[] = [];
  const running: Promise<void>[] = [];
  const start = wallClock();

  for (let index = 0; index < plan.count; index += 1) {
    const due = start + (index * 1_000) / plan.rate;
    await sleep(Math.max(0, due - wallClock()));

    const { group, appId, requester, approver } = plan.cycle(index);
    const cycle: Cycle = { group };
    cycles.push(cycle);
    running.push(
      (async () => {
        try {
          const created = await requestApp(plan.url, requester, appId);
          cycle.requestId = created.requestId;
          cycle.requested = created.timed;
          cycle.approved = await approve(plan.url, approver, created.requestId);
        } catch (error) {
          cycle.error = error instanceof Error ? error.message : String(error);
        }
      })(),
    );
  }
  await Promise.all(running);

  return cycles;
}

/**
 * Sends `{ __typename }` over HTTP every `intervalMs` until `stop` resolves,
 * one at a time, and returns each round trip in milliseconds: the reference
 * the subscription latency is compared with.
 */
export async function probeHttp(
  url: string,
  token: string,
  intervalMs: number,
  stop: Promise<unknown>,
): Promise<number[]> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const samples: number[] = [];

  while (!stopped) {
    const sentAt = wallClock();
    await postGraphQL(url, token, '{ __typename }');
    samples.push(wallClock() - sentAt);
    await sleep(Math.max(0, sentAt + intervalMs - wallClock()));
  }

  return samples;
}
