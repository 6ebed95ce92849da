import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { gid, makeApp, makeUser } from './support/fixtures';
import { APPROVE, REQUEST_APP } from './support/requests';
import { clientFor, startTestServer, type TestServer } from './support/server';

describe('subscriptions smoke (pglite)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers queue and request events over graphql-ws', async () => {
    const prisma = server.server.db.prisma;
    const approver = await makeUser(prisma, 'live@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const ws = createClient({
      url: server.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await server.token('live@example.com')}` },
    });
    const received: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        { query: 'subscription { approvalQueueChanged { cursor type event request { status } } }' },
        {
          next: (value) => {
            received.push(value.data);
            if (received.length === 2) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const requester = clientFor(server, await server.token('asker@example.com'));
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;
    await clientFor(server, await server.token('live@example.com')).run(APPROVE, {
      input: { requestId },
    });
    await done;
    await ws.dispose();

    expect(received).toMatchObject([
      {
        approvalQueueChanged: {
          type: 'ENTERED',
          event: 'STEP_STARTED',
          request: { status: 'PENDING' },
        },
      },
      { approvalQueueChanged: { type: 'LEFT', request: { status: 'APPROVED' } } },
    ]);
  });
});
