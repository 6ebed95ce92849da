import WebSocket from 'ws';

import type { PrismaClient } from '../src/generated/prisma/client';
import { WEBSOCKET_LIMITS } from '../src/http/websocket';
import { graphql } from './generated';
import type {
  LiveQueueChangedSubscription,
  LiveQueueChangedSubscriptionVariables,
  LiveRequestUpdatedSubscription,
  LiveRequestUpdatedSubscriptionVariables,
} from './generated/graphql';
import { gid, makeApp, makeGroup, type StepSpec } from './support/fixtures';
import { DENY } from './support/requests';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';
import {
  connectLive,
  connectSocket,
  connectSse,
  LIVE_QUEUE,
  LIVE_REQUEST,
  scenarioOn,
  TRANSPORTS,
  type Actor,
  type EventStream,
  type LiveClient,
} from './support/subscriptions';

/*
 * Live updates as clients see them: which subscriber gets which event, over
 * graphql-ws and over SSE, and what the server refuses. Subscriptions start
 * from a cursor taken just before the test acts (a "fence"), so no event can
 * slip past a subscription that is still being set up. Absence is proven by
 * order: events arrive in log order, so once a later event has arrived, an
 * earlier one that was due would have arrived before it.
 */

const CANCEL = graphql(`
  mutation LiveCancel($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      __typename
    }
  }
`);

const DELETE = graphql(`
  mutation LiveDelete($input: DeleteRequestInput!) {
    deleteRequest(input: $input) {
      __typename
    }
  }
`);

const OVERRIDE = graphql(`
  mutation LiveOverride($input: OverrideRequestInput!) {
    overrideRequest(input: $input) {
      __typename
    }
  }
`);

type RequestEvent = LiveRequestUpdatedSubscription['appRequestUpdated'];
type QueueEvent = LiveQueueChangedSubscription['approvalQueueChanged'];

const types = (events: RequestEvent[]): string[] => events.map((event) => event.type);
const changes = (events: QueueEvent[]): string[] =>
  events.map((event) => `${event.type}/${event.event}`);

/** Cursors only grow: events arrive once each, in log order. */
function expectInLogOrder(events: { cursor: string }[]): void {
  const cursors = events.map((event) => BigInt(event.cursor));
  expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(new Set(cursors).size).toBe(cursors.length);
}

/**
 * One subscription opened over graphql-ws and over SSE at once. Waiting on
 * it waits on both, and checks that both delivered the same events (cursor,
 * type and queue change) in the same order.
 */
class OnBothTransports<T extends { cursor: string; type: string; event?: string }> {
  constructor(readonly streams: EventStream<T>[]) {}

  async waitFor(expected: number | ((events: T[]) => boolean), timeoutMs?: number) {
    const key = (event: T) => `${event.cursor} ${event.type} ${event.event ?? ''}`;
    const [first, ...others] = await Promise.all(
      this.streams.map((stream) => stream.waitFor(expected, timeoutMs)),
    );
    for (const other of others) {
      expect(other.map(key)).toEqual(first!.map(key));
    }

    return first!;
  }
}

describe.each(DATABASE_KINDS)('live updates (%s)', (kind) => {
  let server: TestServer;
  let prisma: PrismaClient;
  let adminToken: string;
  let act: ReturnType<typeof scenarioOn>;
  let groups = 0;
  const clients: LiveClient[] = [];
  /** Each user's connections of the current test, one per transport. */
  const connections = new Map<string, LiveClient[]>();

  beforeAll(async () => {
    server = await startTestServer(kind);
    prisma = server.server.db.prisma;
    adminToken = await server.token(ADMIN_EMAIL);
    act = scenarioOn(server);
  });
  afterEach(async () => {
    const open = [...clients.splice(0), ...[...connections.values()].flat()];
    connections.clear();
    await Promise.all(open.map((client) => client.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const api = (actor: Actor) => clientFor(server, actor.token);

  async function appWith(steps: StepSpec[]) {
    return makeApp(prisma, { steps });
  }

  /** Opens a subscription as `token`'s user over every transport. */
  function watch<T extends { cursor: string; type: string }>(
    token: string,
    open: (client: LiveClient) => EventStream<T>,
  ): OnBothTransports<T> {
    let mine = connections.get(token);
    if (!mine) {
      mine = TRANSPORTS.map((transport) => connectLive(transport, server.url, token));
      connections.set(token, mine);
    }

    return new OnBothTransports(mine.map(open));
  }

  const followRequests = (token: string, variables: LiveRequestUpdatedSubscriptionVariables) =>
    watch(token, (client) => client.subscribe(LIVE_REQUEST, variables));
  const followQueue = (token: string, variables: LiveQueueChangedSubscriptionVariables) =>
    watch(token, (client) => client.subscribe(LIVE_QUEUE, variables));

  describe('events, each over graphql-ws and SSE at once', () => {
    it("gives a requester every event of their own requests and none of anyone else's", async () => {
      const [first, second, requester, other] = await act.people(
        'first',
        'second',
        'requester',
        'other',
      );
      const app = await appWith([{ userId: first.id }, { userId: second.id }]);
      const mine = followRequests(requester.token, { after: await act.fence() });

      const theirs = await act.requestApp(other, app.id);
      const id = await act.requestApp(requester, app.id);
      await act.approve(first, theirs);
      await act.approve(first, id);
      await act.approve(second, id);

      const events = await mine.waitFor((received) => received.at(-1)?.type === 'ASSIGNED');
      expect(types(events)).toEqual([
        'CREATED',
        'STEP_STARTED',
        'STEP_APPROVED',
        'STEP_STARTED',
        'STEP_APPROVED',
        'APPROVED',
        'ASSIGNED',
      ]);
      expect(new Set(events.map((event) => event.request.id))).toEqual(new Set([id]));
      expect(events.at(-1)).toMatchObject({
        request: { status: 'APPROVED', requester: { email: requester.email } },
      });
      expectInLogOrder(events);
    });

    it('lets the requester and an administrator follow one request by its ID', async () => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }]);
      const otherApp = await appWith([{ userId: approver.id }]);
      const after = await act.fence();
      const id = await act.requestApp(requester, app.id);
      const sibling = await act.requestApp(requester, otherApp.id);

      const watchers = [requester.token, adminToken].map((token) =>
        followRequests(token, { requestId: id, after }),
      );
      await act.approve(approver, sibling);
      await act.approve(approver, id);

      for (const watcher of watchers) {
        const events = await watcher.waitFor(5);
        expect(types(events)).toEqual([
          'CREATED',
          'STEP_STARTED',
          'STEP_APPROVED',
          'APPROVED',
          'ASSIGNED',
        ]);
        expect(events.every((event) => event.request.id === id)).toBe(true);
        expectInLogOrder(events);
      }
    });

    it("refuses a stranger who follows someone else's request, as if it did not exist", async () => {
      const [approver, requester, stranger] = await act.people('approver', 'requester', 'stranger');
      const app = await appWith([{ userId: approver.id }]);
      const id = await act.requestApp(requester, app.id);
      const missing = gid('AppRequest', '00000000-0000-4000-8000-000000000000');

      for (const requestId of [id, missing]) {
        for (const stream of followRequests(stranger.token, { requestId }).streams) {
          await stream.ended();
          expect(stream.errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
          expect(stream.events).toEqual([]);
        }
      }
    });

    it("puts a request into a user step's approver's queue and takes it out on approval", async () => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }]);
      const queue = followQueue(approver.token, { after: await act.fence() });

      const id = await act.requestApp(requester, app.id);
      const [entered] = await queue.waitFor(1);
      expect(entered).toMatchObject({
        type: 'ENTERED',
        event: 'STEP_STARTED',
        request: { id, status: 'PENDING' },
      });

      await act.approve(approver, id);
      const events = await queue.waitFor(2);
      expect(changes(events)).toEqual(['ENTERED/STEP_STARTED', 'LEFT/STEP_APPROVED']);
      expect(events[1]).toMatchObject({ request: { id, status: 'APPROVED' } });
      expectInLogOrder(events);
    });

    it('tells every member of a group step, and never the requester among them', async () => {
      const [m1, m2, m3, requester, outsider] = await act.people(
        'm',
        'm',
        'm',
        'requester',
        'outsider',
      );
      groups += 1;
      const group = await makeGroup(
        prisma,
        `Live group ${groups}`,
        [m1, m2, m3, requester].map((member) => member.id),
      );
      const app = await appWith([{ groupId: group.id }]);
      const after = await act.fence();
      const queues = [m1, m2, m3].map((member) => followQueue(member.token, { after }));
      const requesterQueue = followQueue(requester.token, { after });

      const id = await act.requestApp(requester, app.id);
      await Promise.all(queues.map((queue) => queue.waitFor(1)));
      await act.approve(m2, id);
      for (const queue of queues) {
        const events = await queue.waitFor(2);
        expect(changes(events)).toEqual(['ENTERED/STEP_STARTED', 'LEFT/STEP_APPROVED']);
        expect(events.every((event) => event.request.id === id)).toBe(true);
      }

      // A later request by someone else enters the requester's queue too; it
      // must be the first thing that queue ever heard of.
      const later = await act.requestApp(outsider, app.id);
      expect(await requesterQueue.waitFor(1)).toMatchObject([
        { type: 'ENTERED', event: 'STEP_STARTED', request: { id: later } },
      ]);
    });

    it.each([
      ['the approver denies', 'DENIED', 'DENIED'],
      ['the requester cancels', 'CANCELLED', 'CANCELLED'],
      ['an administrator deletes', 'DELETED', 'CANCELLED'],
    ])('ends the request when %s', async (_how, event, status) => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }]);
      const after = await act.fence();
      const mine = followRequests(requester.token, { after });
      const queue = followQueue(approver.token, { after });
      const id = await act.requestApp(requester, app.id);
      await queue.waitFor(1);

      const input = { requestId: id, reason: 'No longer needed.' };
      const outcome =
        event === 'DENIED'
          ? (await api(approver).run(DENY, { input: { requestId: id } })).denyRequest
          : event === 'CANCELLED'
            ? (await api(requester).run(CANCEL, { input: { requestId: id } })).cancelRequest
            : (await clientFor(server, adminToken).run(DELETE, { input })).deleteRequest;
      expect(outcome.__typename).toMatch(/Payload$/);

      expect(changes(await queue.waitFor(2))).toEqual(['ENTERED/STEP_STARTED', `LEFT/${event}`]);
      const events = await mine.waitFor(3);
      expect(types(events)).toEqual(['CREATED', 'STEP_STARTED', event]);
      expect(events[2]).toMatchObject({ request: { id, status } });
    });

    it('approves an overridden request and empties the queue it was in', async () => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }, { userId: approver.id }]);
      const after = await act.fence();
      const mine = followRequests(requester.token, { after });
      const queue = followQueue(approver.token, { after });
      const id = await act.requestApp(requester, app.id);
      await queue.waitFor(1);

      const data = await clientFor(server, adminToken).run(OVERRIDE, {
        input: { requestId: id, comment: 'Urgent.' },
      });
      expect(data.overrideRequest.__typename).toBe('OverrideRequestPayload');

      expect(types(await mine.waitFor(5))).toEqual([
        'CREATED',
        'STEP_STARTED',
        'OVERRIDDEN',
        'APPROVED',
        'ASSIGNED',
      ]);
      expect(changes(await queue.waitFor(2))).toEqual(['ENTERED/STEP_STARTED', 'LEFT/APPROVED']);
    });

    it('escalates after a PT1S window, then expires when the escalation runs out too', async () => {
      const [approver, deputy, requester] = await act.people('approver', 'deputy', 'requester');
      const app = await appWith([
        { userId: approver.id, timeout: 'PT1S', action: 'ESCALATE', escalateToUserId: deputy.id },
      ]);
      const after = await act.fence();
      const mine = followRequests(requester.token, { after });
      const original = followQueue(approver.token, { after });
      const escalated = followQueue(deputy.token, { after });

      const id = await act.requestApp(requester, app.id);

      const events = await mine.waitFor(4, 10_000);
      expect(types(events)).toEqual(['CREATED', 'STEP_STARTED', 'ESCALATED', 'EXPIRED']);
      expect(events[3]).toMatchObject({ request: { id, status: 'EXPIRED' } });
      expect(changes(await original.waitFor(2))).toEqual([
        'ENTERED/STEP_STARTED',
        'LEFT/ESCALATED',
      ]);
      expect(changes(await escalated.waitFor(2))).toEqual(['ENTERED/ESCALATED', 'LEFT/EXPIRED']);
    });
  });

  describe('refusals', () => {
    // graphql-ws reports some refusals through console.error; each test
    // states which, if any, it expects.
    let consoleError: jest.SpyInstance;
    beforeEach(() => {
      consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      consoleError.mockRestore();
    });

    it('closes a WebSocket with 4403 when connection_init has no token or a bad one', async () => {
      for (const params of [{}, { authorization: 'Bearer not-a-jwt' }, { authorization: 7 }]) {
        const socket = connectSocket(server.url, null, params);
        clients.push(socket);
        const stream = socket.subscribe(LIVE_QUEUE, {});

        expect(await socket.closed).toMatchObject({ code: 4403 });
        expect(await stream.ended()).toMatchObject({ kind: 'closed', code: 4403 });
      }
    });

    it('answers an SSE subscription without a token, or with a bad one, with 401', async () => {
      for (const token of [null, 'not-a-jwt']) {
        const client = connectSse(server.url, token);
        clients.push(client);
        const stream = client.subscribe(LIVE_QUEUE, {});

        await stream.ended();
        expect(stream.status).toBe(401);
        expect(stream.errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
        expect(stream.events).toEqual([]);
      }
    });

    it('refuses a malformed after cursor with INVALID_INPUT on both transports', async () => {
      const [viewer] = await act.people('cursor');
      for (const transport of TRANSPORTS) {
        for (const after of ['abc', '-1', '1.5', '9223372036854775808', '1'.repeat(20)]) {
          const client = connectLive(transport, server.url, viewer.token);
          clients.push(client);
          const streams = [
            client.subscribe(LIVE_QUEUE, { after }),
            client.subscribe(LIVE_REQUEST, { after }),
          ];
          for (const stream of streams) {
            await stream.ended();
            expect(stream.errors).toMatchObject([
              { extensions: { code: 'INVALID_INPUT', field: 'after' } },
            ]);
          }
        }
      }
    });

    it(`runs ${WEBSOCKET_LIMITS.maxOperations} subscriptions on one socket and closes it with 4429 at one more`, async () => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }]);
      const socket = connectSocket(server.url, approver.token);
      clients.push(socket);
      const after = await act.fence();
      const streams = Array.from({ length: WEBSOCKET_LIMITS.maxOperations }, () =>
        socket.subscribe(LIVE_QUEUE, { after }),
      );
      await act.requestApp(requester, app.id);
      await Promise.all(streams.map((stream) => stream.waitFor(1)));

      socket.subscribe(LIVE_QUEUE, {});

      expect(await socket.closed).toMatchObject({ code: 4429 });
      expect(await streams[0]!.ended()).toMatchObject({ kind: 'closed', code: 4429 });
      expect(consoleError).not.toHaveBeenCalled();
    });

    it('accepts a message just under 64 KiB and closes the socket with 1009 above it', async () => {
      const [approver, requester] = await act.people('approver', 'requester');
      const app = await appWith([{ userId: approver.id }]);
      const after = await act.fence();
      await act.requestApp(requester, app.id);
      const query = `subscription { approvalQueueChanged(after: "${after}") { type } }`;
      const padded = (bytes: number) => `# ${'x'.repeat(bytes - query.length - 200)}\n${query}`;

      const fits = connectSocket(server.url, approver.token);
      clients.push(fits);
      const accepted = fits.subscribeText(padded(WEBSOCKET_LIMITS.maxMessageBytes));
      expect(await accepted.waitFor(1)).toEqual([{ type: 'ENTERED' }]);

      const tooBig = connectSocket(server.url, approver.token);
      clients.push(tooBig);
      tooBig.subscribeText(padded(WEBSOCKET_LIMITS.maxMessageBytes + 1_024));
      expect(await tooBig.closed).toMatchObject({ code: 1009 });
      // The ws library reports the oversized frame as a socket error, which
      // graphql-ws's adapter logs through console.error; nothing else may be.
      expect(consoleError.mock.calls.map((call) => String(call[1]))).toEqual([
        'RangeError: Max payload size exceeded',
      ]);
    });

    it('closes the socket with 4400 on a message that breaks the protocol', async () => {
      const [{ token }] = await act.people('garbler');
      const garbage = ['not json', '{"type":"subscribe"}', '{"id":"1","type":"next"}'];
      for (const message of garbage) {
        const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        const closed = new Promise<number>((resolve) => socket.once('close', resolve));
        const acked = new Promise<void>((resolve) =>
          socket.once('message', (data) => {
            expect(JSON.parse(String(data))).toMatchObject({ type: 'connection_ack' });
            resolve();
          }),
        );
        await new Promise((resolve) => socket.once('open', resolve));
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${token}` },
          }),
        );
        await acked;
        socket.send(message);

        expect(await closed).toBe(4400);
      }
    });
  });
});
