import type { PrismaClient } from '../src/generated/prisma/client';
import { eventually, gid, makeApp, makeGroup, makeUser, rawId } from './support/fixtures';
import { APPROVE, DENY, REQUEST_APP } from './support/requests';
import {
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  TEST_DATABASE_URL,
  type TestServer,
} from './support/server';

describe.each(DATABASE_KINDS)('concurrent decisions (%s)', (kind) => {
  let server: TestServer;
  let prisma: PrismaClient;

  beforeAll(async () => {
    server = await startTestServer(kind);
    prisma = server.server.db.prisma;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('fifty approve and deny calls on one group step leave exactly one decision', async () => {
    const members = await Promise.all(
      Array.from({ length: 10 }, (_, i) => makeUser(prisma, `racer${i}@example.com`)),
    );
    const group = await makeGroup(
      prisma,
      'Racers',
      members.map((m) => m.id),
    );
    const app = await makeApp(prisma, { steps: [{ groupId: group.id }] });
    const requester = clientFor(server, await server.token('contested@example.com'));
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;
    const clients = await Promise.all(
      members.map(async (m) => clientFor(server, await server.token(m.email))),
    );

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const client = clients[i % clients.length]!;
        return i % 2 === 0
          ? client.run(APPROVE, { input: { requestId } }).then((d) => d.approveRequest.__typename)
          : client.run(DENY, { input: { requestId } }).then((d) => d.denyRequest.__typename);
      }),
    );

    const winners = results.filter((name) => name.endsWith('Payload'));
    expect(winners).toHaveLength(1);
    expect(results.filter((name) => name === 'ConflictError')).toHaveLength(49);
    const id = rawId(requestId);
    expect(await prisma.approvalDecision.count({ where: { requestId: id } })).toBe(1);
    expect(await prisma.appAssignment.count({ where: { appId: app.id } })).toBeLessThanOrEqual(1);
    const request = await prisma.appRequest.findUniqueOrThrow({ where: { id } });
    expect(request.status).toBe(winners[0] === 'ApproveRequestPayload' ? 'APPROVED' : 'DENIED');
  });
});

const describeOnPostgres = TEST_DATABASE_URL ? describe : describe.skip;

describeOnPostgres('two server instances on one PostgreSQL', () => {
  it('handle each timeout exactly once', async () => {
    const first = await startTestServer('postgres');
    const databaseUrl = first.config.databaseUrl!;
    const second = await startTestServer('postgres', { databaseUrl });
    const prisma = first.server.db.prisma;
    try {
      const approver = await makeUser(prisma, 'nobody-home@example.com');
      const app = await makeApp(prisma, { steps: [{ userId: approver.id, timeout: 'PT1S' }] });
      const ids: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        const target = i % 2 === 0 ? first : second;
        const client = clientFor(target, await target.token(`twin${i}@example.com`));
        const data = await client.run(REQUEST_APP, {
          input: { appId: gid('AppIntegration', app.id) },
        });
        ids.push(rawId((data.requestApp as { request: { id: string } }).request.id));
      }

      const expired = await eventually(async () => {
        const n = await prisma.appRequest.count({ where: { id: { in: ids }, status: 'EXPIRED' } });
        return n === ids.length ? n : 0;
      }, 15_000);
      // Let both sweepers run a few more times to catch a double firing.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      expect(expired).toBe(ids.length);
      for (const id of ids) {
        const events = await prisma.requestEvent.count({
          where: { requestId: id, type: 'EXPIRED' },
        });
        const decisions = await prisma.approvalDecision.count({ where: { requestId: id } });
        const mails = await prisma.notification.count({
          where: { requestId: id, event: 'REQUEST_EXPIRED' },
        });
        expect([events, decisions, mails]).toEqual([1, 1, 1]);
      }
    } finally {
      await second.stop();
      // The first owns the scratch database and drops it.
      await first.stop();
    }
  });

  it('fires a timeout whose window ended while no server ran', async () => {
    const first = await startTestServer('postgres');
    const databaseUrl = first.config.databaseUrl!;
    let prisma = first.server.db.prisma;
    const approver = await makeUser(prisma, 'offline@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id, timeout: 'PT1S' }] });
    const client = clientFor(first, await first.token('restart@example.com'));
    const data = await client.run(REQUEST_APP, { input: { appId: gid('AppIntegration', app.id) } });
    const id = rawId((data.requestApp as { request: { id: string } }).request.id);

    // Stop the server before the window ends, without dropping the database.
    await first.stopServer();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stillPending = await (async () => {
      const again = await startTestServer('postgres', {
        databaseUrl,
        env: { SEED_DEMO: 'false' },
      });
      prisma = again.server.db.prisma;
      try {
        return await eventually(async () => {
          const row = await prisma.appRequest.findUniqueOrThrow({ where: { id } });
          return row.status === 'EXPIRED' ? row : null;
        });
      } finally {
        await again.stop();
        await first.stop();
      }
    })();

    expect(stillPending?.status).toBe('EXPIRED');
  });
});
