import type { PrismaClient } from '../src/generated/prisma/client';
import { eventually, gid, makeApp, makeUser, rawId } from './support/fixtures';
import { REQUEST_APP } from './support/requests';
import { startSmtpServer, type TestSmtpServer } from './support/smtp';
import { clientFor, DATABASE_KINDS, startTestServer, type TestServer } from './support/server';

/*
 * Step timeouts with second-long windows. Each test waits for the sweeper
 * that every server runs, as a real deployment would.
 */

describe.each(DATABASE_KINDS)('step timeouts (%s)', (kind) => {
  let server: TestServer;
  let prisma: PrismaClient;

  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer(kind, { env: { SMTP_URL: smtp.url } });
    prisma = server.server.db.prisma;
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  // Every notification a path wrote must reach the SMTP server: compare the
  // outbox with what arrived, once delivery has caught up.
  afterEach(async () => {
    const outbox = await eventually(async () => {
      const rows = await prisma.notification.findMany({
        select: { recipient: true, subject: true, status: true },
      });
      return rows.every((row) => row.status === 'SENT') ? rows : null;
    });
    expect(outbox).not.toBeNull();
    const sent = outbox!.map((row) => `${row.recipient}: ${row.subject}`).sort();
    const received = smtp.messages.map((m) => `${m.to.join(',')}: ${m.subject}`).sort();
    expect(received).toEqual(sent);
  });

  async function request(requesterEmail: string, appId: string): Promise<string> {
    const client = clientFor(server, await server.token(requesterEmail));
    const data = await client.run(REQUEST_APP, { input: { appId: gid('AppIntegration', appId) } });
    return rawId((data.requestApp as { request: { id: string } }).request.id);
  }

  async function settled(requestId: string, status: string) {
    return eventually(async () => {
      const row = await prisma.appRequest.findUniqueOrThrow({ where: { id: requestId } });
      return row.status === status ? row : null;
    });
  }

  it('EXPIRE ends the request as EXPIRED and tells the requester', async () => {
    const approver = await makeUser(prisma, 'sleepy@example.com');
    const app = await makeApp(prisma, {
      steps: [{ userId: approver.id, timeout: 'PT1S', action: 'EXPIRE' }],
    });

    const id = await request('exp@example.com', app.id);

    const row = await settled(id, 'EXPIRED');
    expect(row).toBeTruthy();
    const decisions = await prisma.approvalDecision.findMany({ where: { requestId: id } });
    expect(decisions.map((d) => d.outcome)).toEqual(['TIMED_OUT_EXPIRED']);
    const mail = await prisma.notification.findMany({
      where: { requestId: id, event: 'REQUEST_EXPIRED' },
    });
    expect(mail.map((m) => m.recipient)).toEqual(['exp@example.com']);
  });

  it('DENY ends the request as DENIED', async () => {
    const approver = await makeUser(prisma, 'strict@example.com');
    const app = await makeApp(prisma, {
      steps: [{ userId: approver.id, timeout: 'PT1S', action: 'DENY' }],
    });

    const id = await request('den@example.com', app.id);

    expect(await settled(id, 'DENIED')).toBeTruthy();
    const decisions = await prisma.approvalDecision.findMany({ where: { requestId: id } });
    expect(decisions.map((d) => d.outcome)).toEqual(['TIMED_OUT_DENIED']);
  });

  it('APPROVE counts the step as approved and starts the next one', async () => {
    const first = await makeUser(prisma, 'lenient@example.com');
    const second = await makeUser(prisma, 'second@example.com');
    const app = await makeApp(prisma, {
      steps: [
        { userId: first.id, timeout: 'PT1S', action: 'APPROVE' },
        { userId: second.id, timeout: 'PT1S', action: 'APPROVE' },
      ],
    });

    const id = await request('appr@example.com', app.id);

    expect(await settled(id, 'APPROVED')).toBeTruthy();
    const decisions = await prisma.approvalDecision.findMany({
      where: { requestId: id },
      orderBy: { position: 'asc' },
    });
    expect(decisions.map((d) => [d.position, d.outcome])).toEqual([
      [1, 'TIMED_OUT_APPROVED'],
      [2, 'TIMED_OUT_APPROVED'],
    ]);
    expect(await prisma.appAssignment.count({ where: { appId: app.id } })).toBe(1);
  });

  it('ESCALATE moves the step to the escalation user once, then expires', async () => {
    const approver = await makeUser(prisma, 'away@example.com');
    const boss = await makeUser(prisma, 'boss@example.com');
    const app = await makeApp(prisma, {
      steps: [
        { userId: approver.id, timeout: 'PT1S', action: 'ESCALATE', escalateToUserId: boss.id },
      ],
    });

    const id = await request('esc@example.com', app.id);

    const escalated = await eventually(async () => {
      const row = await prisma.appRequest.findUniqueOrThrow({ where: { id } });
      return row.escalated ? row : null;
    });
    expect(escalated).toMatchObject({ status: 'PENDING', currentApproverUserId: boss.id });
    const bossMail = await prisma.notification.findMany({
      where: { requestId: id, event: 'APPROVAL_REQUIRED', recipient: 'boss@example.com' },
    });
    expect(bossMail).toHaveLength(1);

    expect(await settled(id, 'EXPIRED')).toBeTruthy();
    const events = await prisma.requestEvent.findMany({
      where: { requestId: id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'STEP_STARTED', 'ESCALATED', 'EXPIRED']);
  });
});
