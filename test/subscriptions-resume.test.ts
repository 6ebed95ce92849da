import { randomUUID } from 'node:crypto';

import type { PrismaClient } from '../src/generated/prisma/client';
import { graphql } from './generated';
import { makeApp, rawId } from './support/fixtures';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  TEST_DATABASE_URL,
  type TestServer,
} from './support/server';
import {
  connectLive,
  connectSocket,
  LIVE_QUEUE,
  LIVE_REQUEST,
  scenarioOn,
  TRANSPORTS,
  type Actor,
  type EventStream,
  type LiveClient,
  type Transport,
} from './support/subscriptions';

/*
 * Resuming: a client that lost its connection subscribes again with the
 * cursor of the last event it received and gets every event it missed,
 * once and in order, and then live ones. The oracle is the event log
 * itself: what a client received over all its connections must be exactly
 * the log's matching events after its first cursor.
 */

const CANCEL = graphql(`
  mutation LiveResumeCancel($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      __typename
    }
  }
`);

/** Only what the log holds, so thousands of events replay in about a second. */
const CATCH_UP = graphql(`
  subscription LiveResumeCatchUp($after: String) {
    appRequestUpdated(after: $after) {
      cursor
      type
    }
  }
`);

const RESEND = graphql(`
  mutation LiveResumeResend($input: ResendNotificationInput!) {
    resendNotification(input: $input) {
      __typename
    }
  }
`);

/** Ids of the events in the log after `after` that `userId` follows as requester. */
async function requesterLog(prisma: PrismaClient, userId: string, after: string) {
  const rows = await prisma.requestEvent.findMany({
    where: { id: { gt: BigInt(after) }, request: { requesterId: userId } },
    orderBy: { id: 'asc' },
    select: { id: true },
  });

  return rows.map((row) => row.id.toString());
}

/** Ids of the events in the log after `after` that moved a request in or out of `userId`'s queue. */
async function queueLog(prisma: PrismaClient, userId: string, after: string) {
  const rows = await prisma.requestEvent.findMany({
    where: { id: { gt: BigInt(after) }, audience: { has: userId } },
    orderBy: { id: 'asc' },
    select: { id: true, data: true },
  });

  return rows
    .filter((row) => {
      const data = row.data as { queueEntered?: string[]; queueLeft?: string[] };
      return [...(data.queueEntered ?? []), ...(data.queueLeft ?? [])].includes(userId);
    })
    .map((row) => row.id.toString());
}

const cursors = (...streams: EventStream<{ cursor: string }>[]) =>
  streams.flatMap((stream) => stream.events.map((event) => event.cursor));
const lastCursor = (stream: EventStream<{ cursor: string }>) => stream.events.at(-1)!.cursor;

describe.each(DATABASE_KINDS)('resuming live updates (%s)', (kind) => {
  let server: TestServer;
  let prisma: PrismaClient;
  let act: ReturnType<typeof scenarioOn>;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    prisma = server.server.db.prisma;
    act = scenarioOn(server);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  function live(transport: Transport, actor: Actor): LiveClient {
    const client = connectLive(transport, server.url, actor.token);
    clients.push(client);
    return client;
  }

  it.each(TRANSPORTS)(
    'over %s, a client back with its last cursor gets what it missed once, in order, then live events',
    async (transport) => {
      const [approver, requester] = await act.people('approver', 'requester');
      const apps = await Promise.all(
        [1, 2, 3].map(() => makeApp(prisma, { steps: [{ userId: approver.id }] })),
      );
      const start = await act.fence();
      let requesterClient = live(transport, requester);
      let approverClient = live(transport, approver);
      const mine1 = requesterClient.subscribe(LIVE_REQUEST, { after: start });
      const queue1 = approverClient.subscribe(LIVE_QUEUE, { after: start });

      const first = await act.requestApp(requester, apps[0]!.id);
      await mine1.waitFor(2);
      await queue1.waitFor(1);
      await Promise.all([requesterClient.close(), approverClient.close()]);

      // While both are away: an approval, a new request, a cancelled one.
      await act.approve(approver, first);
      const second = await act.requestApp(requester, apps[1]!.id);
      const third = await act.requestApp(requester, apps[2]!.id);
      const cancelled = await clientFor(server, requester.token).run(CANCEL, {
        input: { requestId: third },
      });
      expect(cancelled.cancelRequest.__typename).toBe('CancelRequestPayload');

      requesterClient = live(transport, requester);
      approverClient = live(transport, approver);
      const mine2 = requesterClient.subscribe(LIVE_REQUEST, { after: lastCursor(mine1) });
      const queue2 = approverClient.subscribe(LIVE_QUEUE, { after: lastCursor(queue1) });
      await mine2.waitFor(8);
      await queue2.waitFor(4);

      // And live again.
      await act.approve(approver, second);
      await mine2.waitFor(11);
      await queue2.waitFor(5);

      expect(mine2.events.map((event) => `${rawId(event.request.id)} ${event.type}`)).toEqual(
        [
          [first, 'STEP_APPROVED'],
          [first, 'APPROVED'],
          [first, 'ASSIGNED'],
          [second, 'CREATED'],
          [second, 'STEP_STARTED'],
          [third, 'CREATED'],
          [third, 'STEP_STARTED'],
          [third, 'CANCELLED'],
          [second, 'STEP_APPROVED'],
          [second, 'APPROVED'],
          [second, 'ASSIGNED'],
        ].map(([id, type]) => `${rawId(id!)} ${type}`),
      );
      expect(queue2.events.map((event) => `${event.type}/${event.event}`)).toEqual([
        'LEFT/STEP_APPROVED',
        'ENTERED/STEP_STARTED',
        'ENTERED/STEP_STARTED',
        'LEFT/CANCELLED',
        'LEFT/STEP_APPROVED',
      ]);
      expect(cursors(mine1, mine2)).toEqual(await requesterLog(prisma, requester.id, start));
      expect(cursors(queue1, queue2)).toEqual(await queueLog(prisma, approver.id, start));
    },
  );

  it.each(TRANSPORTS)(
    'over %s, a client thousands of events behind catches up with every one of them',
    async (transport) => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
      const start = await act.fence();

      // 625 requests of four events each, more than a few replay batches,
      // written straight to the database to keep the test fast.
      const ids = Array.from({ length: 625 }, () => randomUUID());
      await prisma.appRequest.createMany({
        data: ids.map((id) => ({
          id,
          appId: app.id,
          requesterId: requester.id,
          status: 'CANCELLED',
        })),
      });
      await prisma.requestEvent.createMany({
        data: ids.flatMap((requestId) =>
          (['CREATED', 'STEP_STARTED', 'NOTIFICATION_RESENT', 'CANCELLED'] as const).map(
            (type) => ({ requestId, type, audience: [requester.id] }),
          ),
        ),
      });

      const stream = live(transport, requester).subscribe(CATCH_UP, { after: start });
      await stream.waitFor(2_500, 20_000);

      expect(cursors(stream)).toEqual(await requesterLog(prisma, requester.id, start));
      expect(stream.end).toBeUndefined();
    },
  );

  it('a client that subscribes again without a cursor starts live, with no replay', async () => {
    const [approver, requester] = await act.people('approver', 'requester');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const requestId = await act.requestApp(requester, app.id);
    const before = await act.fence();
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    const stream = live('graphql-ws', requester).subscribe(LIVE_REQUEST, { requestId });
    // Nothing tells a client when its subscription is in place, so nudge the
    // request (a resent notification is an event that changes nothing else)
    // until one arrives.
    for (let attempt = 1; stream.events.length === 0; attempt += 1) {
      const data = await admin.run(RESEND, { input: { requestId } });
      expect(data.resendNotification.__typename).toBe('ResendNotificationPayload');
      await stream.waitFor(1, 250).catch((error: unknown) => {
        if (attempt >= 20) {
          throw error;
        }
      });
    }
    await act.approve(approver, requestId);
    await stream.waitFor((events) => events.at(-1)?.type === 'ASSIGNED');

    const types = stream.events.map((event) => event.type);
    expect(types.slice(-3)).toEqual(['STEP_APPROVED', 'APPROVED', 'ASSIGNED']);
    expect(new Set(types.slice(0, -3))).toEqual(new Set(['NOTIFICATION_RESENT']));
    expect(stream.events.every((event) => BigInt(event.cursor) > BigInt(before))).toBe(true);
  });
});

const describeOnPostgres = TEST_DATABASE_URL ? describe : describe.skip;

describeOnPostgres('resuming live updates across a server restart (postgres)', () => {
  let first: TestServer | undefined;
  let second: TestServer | undefined;
  const clients: LiveClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await second?.stop();
    // The first server owns the scratch database and drops it.
    await first?.stop();
  });

  it('delivers every event that happened around the restart, once and in order', async () => {
    first = await startTestServer('postgres');
    const databaseUrl = first.config.databaseUrl!;
    const act1 = scenarioOn(first);
    const [approver, requester] = await act1.people('approver', 'requester');
    const prisma1 = first.server.db.prisma;
    const twoSteps = await makeApp(prisma1, {
      steps: [{ userId: approver.id }, { userId: approver.id }],
    });
    const shortWindow = await makeApp(prisma1, {
      steps: [{ userId: approver.id, timeout: 'PT1S' }],
    });
    const start = await act1.fence();

    const requesterSocket = connectSocket(first.url, requester.token);
    const approverSocket = connectSocket(first.url, approver.token);
    clients.push(requesterSocket, approverSocket);
    const mine1 = requesterSocket.subscribe(LIVE_REQUEST, { after: start });
    const queue1 = approverSocket.subscribe(LIVE_QUEUE, { after: start });
    const request = await act1.requestApp(requester, twoSteps.id);
    await act1.approve(approver, request);
    await mine1.waitFor(4);
    await queue1.waitFor(3);

    // The requester drops off; more happens before the server stops,
    // including a request whose PT1S window ends around the restart.
    await requesterSocket.close();
    await act1.approve(approver, request);
    const expiring = await act1.requestApp(requester, shortWindow.id);
    await first.stopServer();
    expect(await approverSocket.closed).toMatchObject({ code: 1001 });

    second = await startTestServer('postgres', { databaseUrl });
    const act2 = scenarioOn(second);
    const requesterAgain = connectSocket(second.url, requester.token);
    const approverAgain = connectSocket(second.url, approver.token);
    clients.push(requesterAgain, approverAgain);
    const mine2 = requesterAgain.subscribe(LIVE_REQUEST, { after: lastCursor(mine1) });
    const queue2 = approverAgain.subscribe(LIVE_QUEUE, { after: lastCursor(queue1) });

    await mine2.waitFor((events) => events.some((event) => event.type === 'EXPIRED'), 10_000);
    const again = await act2.requestApp(requester, shortWindow.id);
    await act2.approve(approver, again);
    await mine2.waitFor((events) => events.at(-1)?.type === 'ASSIGNED');
    await queue2.waitFor((events) =>
      events.some((event) => event.request.id === again && event.type === 'LEFT'),
    );

    expect(mine2.events.map((event) => `${rawId(event.request.id)} ${event.type}`)).toEqual(
      [
        [request, 'STEP_APPROVED'],
        [request, 'APPROVED'],
        [request, 'ASSIGNED'],
        [expiring, 'CREATED'],
        [expiring, 'STEP_STARTED'],
        [expiring, 'EXPIRED'],
        [again, 'CREATED'],
        [again, 'STEP_STARTED'],
        [again, 'STEP_APPROVED'],
        [again, 'APPROVED'],
        [again, 'ASSIGNED'],
      ].map(([id, type]) => `${rawId(id!)} ${type}`),
    );
    const prisma2 = second.server.db.prisma;
    expect(cursors(mine1, mine2)).toEqual(await requesterLog(prisma2, requester.id, start));
    expect(cursors(queue1, queue2)).toEqual(await queueLog(prisma2, approver.id, start));
  });
});
