import { setTimeout as sleep } from 'node:timers/promises';

import { encodeGlobalID } from '@pothos/plugin-relay';

import { graphql } from './generated';
import type { NotificationEvent, NotificationStatus } from './generated/graphql';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';
import { startSmtpServer, type ReceivedMessage, type TestSmtpServer } from './support/smtp';

/*
 * Notifications end to end: a request made through the API, the outbox row
 * its transaction wrote, the delivery worker, and a real SMTP server on the
 * loopback interface that receives and decodes the mail.
 */

const NOTIFY_REQUEST_APP = graphql(`
  mutation NotifyRequestApp($input: RequestAppInput!) {
    requestApp(input: $input) {
      __typename
      ... on RequestAppPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);

const NOTIFY_APPROVE = graphql(`
  mutation NotifyApprove($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      __typename
      ... on ApproveRequestPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);

const NOTIFY_SET_TEMPLATE = graphql(`
  mutation NotifySetTemplate($input: SetNotificationTemplateInput!) {
    setNotificationTemplate(input: $input) {
      __typename
      ... on SetNotificationTemplatePayload {
        template {
          event
          isDefault
        }
      }
      ... on Error {
        message
        code
      }
    }
  }
`);

const NOTIFY_OUTBOX = graphql(`
  query NotifyOutbox($first: Int, $status: NotificationStatus, $event: NotificationEvent) {
    notifications(first: $first, status: $status, event: $event) {
      totalCount
      edges {
        node {
          id
          event
          recipient
          subject
          body
          status
          attempts
          lastError
          createdAt
          sentAt
          request {
            id
            status
          }
        }
      }
    }
  }
`);

type Client = ReturnType<typeof clientFor>;

interface Person {
  email: string;
  name: string;
  client: Client;
}

interface Fixture {
  requester: Person;
  approver: Person;
  appId: string;
  label: string;
}

let fixtures = 0;

/**
 * Writes two people and an app whose one approval step names the second
 * straight to the database: the catalog's own API is tested elsewhere.
 */
async function setUp(server: TestServer, label: string): Promise<Fixture> {
  fixtures += 1;
  const slug = `notify${fixtures}`;
  const prisma = server.server.db.prisma;

  const person = async (role: string): Promise<Person> => {
    const user = await prisma.user.create({
      data: { email: `${slug}.${role.toLowerCase()}@example.com`, name: `${role} ${slug}` },
    });
    const client = clientFor(server, await server.token(user.email, user.name!));

    return { email: user.email, name: user.name!, client };
  };
  const requester = await person('Requester');
  const approver = await person('Approver');

  const approverRow = await prisma.user.findUniqueOrThrow({ where: { email: approver.email } });
  const app = await prisma.appIntegration.create({
    data: {
      name: slug,
      label,
      requestable: true,
      approvalRequired: true,
      approvalSteps: { create: { position: 1, approverUserId: approverRow.id } },
    },
  });

  return { requester, approver, appId: encodeGlobalID('AppIntegration', app.id), label };
}

async function requestApp(fixture: Fixture, justification: string): Promise<string> {
  const { requestApp: result } = await fixture.requester.client.run(NOTIFY_REQUEST_APP, {
    input: { appId: fixture.appId, justification },
  });
  if (result.__typename !== 'RequestAppPayload') {
    throw new Error(`requestApp failed: ${JSON.stringify(result)}`);
  }
  expect(result.request.status).toBe('PENDING');

  return result.request.id;
}

function mailTo(email: string, subjectPart: string): (message: ReceivedMessage) => boolean {
  return (message) => message.to.includes(email) && message.subject.includes(subjectPart);
}

/** Polls `probe` until it returns a value, for state a worker reaches later. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`the expected state was not reached within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

type OutboxRow = Awaited<ReturnType<typeof outboxOf>>[number];

/** The outbox rows about one request, as an administrator sees them. */
async function outboxOf(
  admin: Client,
  requestId: string,
  filter: { status?: NotificationStatus; event?: NotificationEvent } = {},
) {
  const { notifications } = await admin.run(NOTIFY_OUTBOX, { first: 100, ...filter });

  return notifications.edges
    .map((edge) => edge.node)
    .filter((node) => node.request?.id === requestId);
}

/** Waits until every outbox row of the request has `status`; returns them. */
function settled(admin: Client, requestId: string, status: NotificationStatus, count: number) {
  return eventually(async () => {
    const rows = await outboxOf(admin, requestId);
    const done = rows.length === count && rows.every((row) => row.status === status);

    return done ? rows : undefined;
  });
}

describe.each(DATABASE_KINDS)('notifications (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer(kind, { env: { SMTP_URL: smtp.url } });
    admin = clientFor(server, await server.token(ADMIN_EMAIL));
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('mails the requester and the approver when a request is submitted', async () => {
    const fixture = await setUp(server, 'Ledger Pro');

    await requestApp(fixture, 'Quarterly close');
    const submitted = await smtp.waitFor(mailTo(fixture.requester.email, 'Ledger Pro'));
    const approval = await smtp.waitFor(mailTo(fixture.approver.email, 'Ledger Pro'));

    expect(submitted.subject).toBe('Your request for Ledger Pro was submitted');
    expect(submitted.text).toContain(`Hi ${fixture.requester.name},`);
    expect(submitted.text).toContain('Your justification: Quarterly close');
    expect(approval.subject).toBe(`${fixture.requester.name} is asking for access to Ledger Pro`);
    expect(approval.text).toContain(`${fixture.requester.name} (${fixture.requester.email})`);
    expect(approval.text).toContain('(step 1 of 1)');
    expect(approval.html).toContain('Ledger Pro');
  });

  it('escapes values in the HTML part and keeps them as they are in the text part', async () => {
    const fixture = await setUp(server, 'Wiki & Docs');
    const justification = '<script>alert("x")</script> please';

    await requestApp(fixture, justification);
    const approval = await smtp.waitFor(mailTo(fixture.approver.email, 'Wiki & Docs'));
    const submitted = await smtp.waitFor(mailTo(fixture.requester.email, 'Wiki & Docs'));

    expect(approval.text).toContain(`Justification: ${justification}`);
    expect(approval.html).toContain(
      'Justification: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; please',
    );
    expect(approval.html).toContain('Wiki &amp; Docs');
    expect(approval.html).not.toContain('<script>');
    expect(submitted.html).toContain('&lt;script&gt;');
    expect(submitted.html).not.toContain('<script>');
  });

  it('uses the template an administrator saved instead of the default', async () => {
    const fixture = await setUp(server, 'Roadmap Board');
    const { setNotificationTemplate } = await admin.run(NOTIFY_SET_TEMPLATE, {
      input: {
        event: 'REQUEST_SUBMITTED',
        subject: 'Got it: {{appLabel}} for {{ requesterName }}',
        body: 'Dear {{requesterName}}, we are on it ({{appLabel}}).',
      },
    });
    expect(setNotificationTemplate).toMatchObject({ template: { isDefault: false } });

    try {
      await requestApp(fixture, 'Planning');
      const submitted = await smtp.waitFor(mailTo(fixture.requester.email, 'Roadmap Board'));
      const approval = await smtp.waitFor(mailTo(fixture.approver.email, 'Roadmap Board'));

      expect(submitted.subject).toBe(`Got it: Roadmap Board for ${fixture.requester.name}`);
      expect(submitted.text.trim()).toBe(
        `Dear ${fixture.requester.name}, we are on it (Roadmap Board).`,
      );
      // Only the event whose template was replaced changes.
      expect(approval.subject).toBe(
        `${fixture.requester.name} is asking for access to Roadmap Board`,
      );
    } finally {
      // Later tests expect the default again; templates have no reset mutation.
      await server.server.db.prisma.notificationTemplate.deleteMany({
        where: { event: 'REQUEST_SUBMITTED' },
      });
    }
  });

  it('lists the outbox to administrators, newest first, with delivery status', async () => {
    const fixture = await setUp(server, 'Expense Tracker');

    const requestId = await requestApp(fixture, 'Travel');
    const rows = await settled(admin, requestId, 'SENT', 2);
    const approvalRows = await outboxOf(admin, requestId, { event: 'APPROVAL_REQUIRED' });
    const { notifications: pending } = await admin.run(NOTIFY_OUTBOX, {
      first: 100,
      status: 'PENDING',
      event: 'APPROVAL_REQUIRED',
    });

    expect(rows.map((row) => row.event).sort()).toEqual(['APPROVAL_REQUIRED', 'REQUEST_SUBMITTED']);
    expect(approvalRows).toHaveLength(1);
    expect(approvalRows[0]).toMatchObject({
      event: 'APPROVAL_REQUIRED',
      recipient: fixture.approver.email,
      subject: `${fixture.requester.name} is asking for access to Expense Tracker`,
      status: 'SENT',
      attempts: 1,
      lastError: null,
      request: { id: requestId, status: 'PENDING' },
    });
    expect(approvalRows[0]!.body).toContain('Justification: Travel');
    expect(approvalRows[0]!.sentAt).not.toBeNull();
    expect(pending.edges.filter((edge) => edge.node.request?.id === requestId)).toEqual([]);
  });

  it('orders the outbox newest first and counts every row', async () => {
    const { notifications } = await admin.run(NOTIFY_OUTBOX, { first: 100 });
    const times = notifications.edges.map((edge) => Date.parse(edge.node.createdAt));

    expect(notifications.totalCount).toBe(notifications.edges.length);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('refuses the outbox to anyone but an administrator', async () => {
    const fixture = await setUp(server, 'Secret Outbox');

    const { body } = await fixture.requester.client.raw(NOTIFY_OUTBOX, { first: 5 });

    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('retries a delivery the mail server refused, and records the attempts', async () => {
    const fixture = await setUp(server, 'Retry Desk');
    smtp.failNext(1);

    const requestId = await requestApp(fixture, 'Support rota');
    const failed = await eventually(async () => {
      const rows = await outboxOf(admin, requestId);
      return rows.find((row) => row.attempts === 1 && row.lastError !== null);
    });
    // Two mails: the first one tried is refused, then sent on the retry,
    // which the 2 s backoff puts a few seconds later.
    await smtp.waitFor(mailTo(fixture.requester.email, 'Retry Desk'), 15_000);
    await smtp.waitFor(mailTo(fixture.approver.email, 'Retry Desk'), 15_000);
    const rows: OutboxRow[] = await settled(admin, requestId, 'SENT', 2);

    expect(smtp.rejected()).toBe(1);
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(failed.lastError).toMatch(/451/);
    expect(rows.map((row) => row.attempts).sort()).toEqual([1, 2]);
    expect(rows.find((row) => row.attempts === 2)).toMatchObject({
      id: failed.id,
      status: 'SENT',
      lastError: null,
    });
  });

  it("mails the requester the approver's approval", async () => {
    const fixture = await setUp(server, 'Design Suite');
    const requestId = await requestApp(fixture, 'New project');
    await smtp.waitFor(mailTo(fixture.approver.email, 'Design Suite'));

    const { approveRequest } = await fixture.approver.client.run(NOTIFY_APPROVE, {
      input: { requestId, comment: 'Enjoy' },
    });
    const approved = await smtp.waitFor(mailTo(fixture.requester.email, 'You now have access'));

    expect(approveRequest).toMatchObject({ request: { id: requestId, status: 'APPROVED' } });
    expect(approved.subject).toBe('You now have access to Design Suite');
    expect(approved.text).toContain(`Hi ${fixture.requester.name},`);
    await expect(settled(admin, requestId, 'SENT', 3)).resolves.toHaveLength(3);
  });

  it('greets each approver by name', async () => {
    const fixture = await setUp(server, 'Greeting Check');

    await requestApp(fixture, 'Hello');
    const approval = await smtp.waitFor(mailTo(fixture.approver.email, 'Greeting Check'));

    expect(approval.text).toContain(`Hi ${fixture.approver.name},`);
  });

  it("passes the last approver's comment on to the approval mail", async () => {
    const fixture = await setUp(server, 'Comment Check');
    const requestId = await requestApp(fixture, 'Please');

    await fixture.approver.client.run(NOTIFY_APPROVE, { input: { requestId, comment: 'Enjoy' } });
    const approved = await smtp.waitFor(mailTo(fixture.requester.email, 'You now have access'));

    expect(approved.text).toContain('Comment: Enjoy');
  });
});

describe.each(DATABASE_KINDS)('notifications without SMTP_URL (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the messages in the outbox as LOGGED', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));
    const fixture = await setUp(server, 'Offline Mail');

    const requestId = await requestApp(fixture, 'No mail server here');
    const rows = await settled(admin, requestId, 'LOGGED', 2);

    expect(rows.map((row) => row.recipient).sort()).toEqual(
      [fixture.approver.email, fixture.requester.email].sort(),
    );
    expect(rows.every((row) => row.sentAt === null)).toBe(true);
  });
});
