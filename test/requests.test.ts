import type { PrismaClient } from '../src/generated/prisma/client';
import { graphql } from './generated';
import { eventually, gid, rawId, makeApp, makeGroup, makeUser } from './support/fixtures';
import { APPROVAL_QUEUE, APPROVE, DENY, REQUEST_APP, REQUEST_DETAILS } from './support/requests';
import { startSmtpServer, type TestSmtpServer } from './support/smtp';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

const CANCEL = graphql(`
  mutation RequestsCancel($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      __typename
      ... on CancelRequestPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

const ADMIN_ACTIONS = graphql(`
  mutation RequestsAdminOverride($input: OverrideRequestInput!) {
    overrideRequest(input: $input) {
      __typename
      ... on OverrideRequestPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

const DELETE = graphql(`
  mutation RequestsAdminDelete($input: DeleteRequestInput!) {
    deleteRequest(input: $input) {
      __typename
      ... on DeleteRequestPayload {
        request {
          id
          status
          endReason
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

const RESEND = graphql(`
  mutation RequestsAdminResend($input: ResendNotificationInput!) {
    resendNotification(input: $input) {
      __typename
      ... on ResendNotificationPayload {
        request {
          id
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

const MY_REQUESTS_AND_APPS = graphql(`
  query RequestsMine {
    myRequests(first: 20) {
      totalCount
      edges {
        node {
          id
          status
          app {
            label
          }
        }
      }
    }
    myApps {
      source
      app {
        label
      }
    }
  }
`);

const ALL_REQUESTS = graphql(`
  query RequestsAdminList($status: AppRequestStatus) {
    appRequests(first: 50, status: $status) {
      totalCount
      edges {
        node {
          id
          status
          currentStepNumber
          requester {
            email
          }
        }
      }
    }
  }
`);

const SUGGEST = graphql(`
  mutation RequestsSuggest($input: SuggestAppInput!) {
    suggestApp(input: $input) {
      __typename
      ... on SuggestAppPayload {
        suggestion {
          name
          url
          suggestedBy {
            email
          }
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

const CLOSE_APP = graphql(`
  mutation RequestsCloseApp($input: ConfigureAppSelfServiceInput!) {
    configureAppSelfService(input: $input) {
      __typename
      ... on Error {
        code
        message
      }
    }
  }
`);

async function notificationsFor(prisma: PrismaClient, requestId: string) {
  const rows = await prisma.notification.findMany({
    where: { requestId: rawId(requestId) },
    orderBy: { createdAt: 'asc' },
    select: { event: true, recipient: true },
  });
  return rows.map((row) => `${row.event} ${row.recipient}`).sort();
}

describe.each(DATABASE_KINDS)('access requests (%s)', (kind) => {
  let server: TestServer;
  let prisma: PrismaClient;
  let as: (email: string) => Promise<ReturnType<typeof clientFor>>;

  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer(kind, { env: { SMTP_URL: smtp.url } });
    prisma = server.server.db.prisma;
    as = async (email) => clientFor(server, await server.token(email));
    await makeUser(prisma, ADMIN_EMAIL, 'Ada Admin');
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

  it('assigns an app that needs no approval at once', async () => {
    const app = await makeApp(prisma, { label: 'Zoom', approvalRequired: false });
    const user = await as('nora@example.com');

    const data = await user.run(REQUEST_APP, { input: { appId: gid('AppIntegration', app.id) } });
    const mine = await user.run(MY_REQUESTS_AND_APPS);

    expect(data.requestApp).toMatchObject({
      __typename: 'RequestAppPayload',
      request: { status: 'APPROVED' },
    });
    expect(mine.myApps).toEqual([{ source: 'SELF_SERVICE', app: { label: 'Zoom' } }]);
    const again = await user.run(REQUEST_APP, { input: { appId: gid('AppIntegration', app.id) } });
    expect(again.requestApp).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('walks a three-step chain: a user step, a group step, a user step', async () => {
    const manager = await makeUser(prisma, 'manager@example.com', 'Manny');
    const finance1 = await makeUser(prisma, 'fin1@example.com');
    const finance2 = await makeUser(prisma, 'fin2@example.com');
    const owner = await makeUser(prisma, 'owner@example.com');
    const group = await makeGroup(prisma, 'Finance Approvers 3', [finance1.id, finance2.id]);
    const app = await makeApp(prisma, {
      label: 'Workday',
      notifyEmails: ['audit@example.com'],
      steps: [
        { userId: manager.id },
        { groupId: group.id, message: 'Check the cost centre.' },
        { userId: owner.id },
      ],
    });
    const requester = await as('rita@example.com');

    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id), justification: 'Payroll reviews' },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;
    expect(created.requestApp).toMatchObject({
      request: {
        status: 'PENDING',
        currentStepNumber: 1,
        currentApprovers: [{ email: 'manager@example.com' }],
      },
    });

    // A step's approver alone may decide it.
    const stranger = await as('fin1@example.com');
    const refused = await stranger.run(APPROVE, { input: { requestId } });
    expect(refused.approveRequest).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });

    const step1 = await (
      await as('manager@example.com')
    ).run(APPROVE, { input: { requestId, comment: 'ok' } });
    expect(step1.approveRequest).toMatchObject({
      request: { status: 'PENDING', currentStepNumber: 2 },
    });

    // The group step is in both members' queues; one decision takes it out of both.
    const fin1 = await as('fin1@example.com');
    const fin2 = await as('fin2@example.com');
    expect((await fin2.run(APPROVAL_QUEUE)).approvalQueue.edges.map((e) => e.node.id)).toContain(
      requestId,
    );
    await fin1.run(APPROVE, { input: { requestId } });
    expect(
      (await fin2.run(APPROVAL_QUEUE)).approvalQueue.edges.map((e) => e.node.id),
    ).not.toContain(requestId);
    const late = await fin2.run(APPROVE, { input: { requestId } });
    expect(late.approveRequest).toMatchObject({ __typename: 'ForbiddenError' });

    const last = await (await as('owner@example.com')).run(APPROVE, { input: { requestId } });
    expect(last.approveRequest).toMatchObject({
      request: { status: 'APPROVED', currentStepNumber: null },
    });

    const details = await requester.run(REQUEST_DETAILS, { id: requestId });
    expect(details.node).toMatchObject({
      status: 'APPROVED',
      decisions: [
        {
          step: 1,
          decision: 'APPROVED',
          comment: 'ok',
          approver: { email: 'manager@example.com' },
        },
        { step: 2, decision: 'APPROVED', approver: { email: 'fin1@example.com' } },
        { step: 3, decision: 'APPROVED', approver: { email: 'owner@example.com' } },
      ],
    });
    const timeline = (details.node as { timeline: { type: string }[] }).timeline.map((e) => e.type);
    expect(timeline).toEqual([
      'CREATED',
      'STEP_STARTED',
      'STEP_APPROVED',
      'STEP_STARTED',
      'STEP_APPROVED',
      'STEP_STARTED',
      'STEP_APPROVED',
      'APPROVED',
      'ASSIGNED',
    ]);
    expect(await notificationsFor(prisma, requestId)).toEqual(
      [
        'APPROVAL_REQUIRED fin1@example.com',
        'APPROVAL_REQUIRED fin2@example.com',
        'APPROVAL_REQUIRED manager@example.com',
        'APPROVAL_REQUIRED owner@example.com',
        'REQUEST_APPROVED audit@example.com',
        'REQUEST_APPROVED rita@example.com',
        'REQUEST_SUBMITTED rita@example.com',
      ].sort(),
    );
    const groupMail = await prisma.notification.findFirstOrThrow({
      where: { requestId: rawId(requestId), recipient: 'fin1@example.com' },
    });
    expect(groupMail.body).toContain('Check the cost centre.');

    const finished = await (await as('owner@example.com')).run(APPROVE, { input: { requestId } });
    expect(finished.approveRequest).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
    });
    expect(await prisma.appAssignment.count({ where: { appId: app.id } })).toBe(1);
  });

  it('ends the request as DENIED when a step is denied, and tells the requester', async () => {
    const approver = await makeUser(prisma, 'denier@example.com');
    const app = await makeApp(prisma, {
      steps: [{ userId: approver.id }, { userId: approver.id }],
    });
    const requester = await as('dan@example.com');
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    const denied = await (
      await as('denier@example.com')
    ).run(DENY, { input: { requestId, comment: 'No licence' } });

    expect(denied.denyRequest).toMatchObject({ request: { status: 'DENIED' } });
    expect(await notificationsFor(prisma, requestId)).toContain('REQUEST_DENIED dan@example.com');
    expect(await prisma.appAssignment.count({ where: { appId: app.id } })).toBe(0);
  });

  it('lets the requester cancel a pending request, and nobody else', async () => {
    const approver = await makeUser(prisma, 'cancel-approver@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const requester = await as('cora@example.com');
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    const foreign = await (
      await as('cancel-approver@example.com')
    ).run(CANCEL, { input: { requestId } });
    const own = await requester.run(CANCEL, { input: { requestId } });
    const twice = await requester.run(CANCEL, { input: { requestId } });

    expect(foreign.cancelRequest).toMatchObject({ __typename: 'NotFoundError' });
    expect(own.cancelRequest).toMatchObject({ request: { status: 'CANCELLED' } });
    expect(twice.cancelRequest).toMatchObject({ __typename: 'ConflictError' });
    const queue = await (await as('cancel-approver@example.com')).run(APPROVAL_QUEUE);
    expect(queue.approvalQueue.edges.map((e) => e.node.id)).not.toContain(requestId);
  });

  it('sends a step to administrators when the requester is its only approver', async () => {
    const selfish = await makeUser(prisma, 'selfish@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: selfish.id }] });
    const requester = await as('selfish@example.com');
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    const own = await requester.run(APPROVE, { input: { requestId } });
    const admin = await as(ADMIN_EMAIL);
    const queue = await admin.run(APPROVAL_QUEUE);
    const decided = await admin.run(APPROVE, { input: { requestId } });

    expect(created.requestApp).toMatchObject({
      request: { currentApprovers: [{ email: ADMIN_EMAIL }] },
    });
    expect(own.approveRequest).toMatchObject({ __typename: 'ForbiddenError' });
    expect(queue.approvalQueue.edges.map((e) => e.node.id)).toContain(requestId);
    expect(decided.approveRequest).toMatchObject({ request: { status: 'APPROVED' } });
  });

  it('refuses duplicates, unknown and foreign IDs, long text and requests while turned off', async () => {
    const approver = await makeUser(prisma, 'dup-approver@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const closed = await makeApp(prisma, { requestable: false });
    const user = await as('dupe@example.com');
    const appId = gid('AppIntegration', app.id);

    await user.run(REQUEST_APP, { input: { appId } });
    const before = await prisma.appRequest.count();
    const second = await user.run(REQUEST_APP, { input: { appId } });
    const unknown = await user.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', '00000000-0000-4000-8000-000000000000') },
    });
    const wrongType = await user.run(REQUEST_APP, { input: { appId: gid('User', approver.id) } });
    const tooLong = await user.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', closed.id), justification: 'x'.repeat(1_001) },
    });
    const notRequestable = await user.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', closed.id) },
    });

    expect(second.requestApp).toMatchObject({ __typename: 'ConflictError' });
    expect(unknown.requestApp).toMatchObject({ __typename: 'NotFoundError' });
    expect(wrongType.requestApp).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.appId',
    });
    expect(tooLong.requestApp).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.justification',
    });
    expect(notRequestable.requestApp).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await prisma.appRequest.count()).toBe(before);

    await prisma.orgSettings.update({ where: { id: 1 }, data: { userAppRequestsEnabled: false } });
    try {
      const other = await makeApp(prisma, { approvalRequired: false });
      const off = await user.run(REQUEST_APP, {
        input: { appId: gid('AppIntegration', other.id) },
      });
      expect(off.requestApp).toMatchObject({ __typename: 'DisabledError', code: 'DISABLED' });
      expect(await prisma.appRequest.count()).toBe(before);
    } finally {
      await prisma.orgSettings.update({ where: { id: 1 }, data: { userAppRequestsEnabled: true } });
    }
  });

  it('returns the first request for a retried idempotency key, even concurrently', async () => {
    const approver = await makeUser(prisma, 'idem-approver@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const user = await as('ivy@example.com');
    const input = { appId: gid('AppIntegration', app.id), idempotencyKey: 'click-1' };

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => user.run(REQUEST_APP, { input })));

    const ids = new Set(
      results.map((r) => (r.requestApp as { request: { id: string } }).request.id),
    );
    expect(ids.size).toBe(1);
    expect(await prisma.appRequest.count({ where: { appId: app.id } })).toBe(1);
  });

  it('lets administrators override, delete and resend; others get FORBIDDEN', async () => {
    const approver = await makeUser(prisma, 'slow@example.com');
    const app = await makeApp(prisma, {
      steps: [{ userId: approver.id }, { userId: approver.id }],
    });
    const ids: string[] = [];
    for (const email of ['ovid@example.com', 'della@example.com']) {
      const created = await (
        await as(email)
      ).run(REQUEST_APP, { input: { appId: gid('AppIntegration', app.id) } });
      ids.push((created.requestApp as { request: { id: string } }).request.id);
    }
    const [overridden, deleted] = ids as [string, string];
    const admin = await as(ADMIN_EMAIL);
    const plain = await as('ovid@example.com');

    const forbidden = await plain.run(ADMIN_ACTIONS, { input: { requestId: overridden } });
    const resent = await admin.run(RESEND, { input: { requestId: overridden } });
    const override = await admin.run(ADMIN_ACTIONS, {
      input: { requestId: overridden, comment: 'urgent' },
    });
    const noReason = await admin.run(DELETE, { input: { requestId: deleted, reason: ' ' } });
    const removal = await admin.run(DELETE, {
      input: { requestId: deleted, reason: 'Duplicate of a ticket' },
    });

    expect(forbidden.overrideRequest).toMatchObject({ __typename: 'ForbiddenError' });
    expect(resent.resendNotification).toMatchObject({ __typename: 'ResendNotificationPayload' });
    expect(override.overrideRequest).toMatchObject({ request: { status: 'APPROVED' } });
    expect(noReason.deleteRequest).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.reason',
    });
    expect(removal.deleteRequest).toMatchObject({
      request: { status: 'CANCELLED', endReason: 'Duplicate of a ticket' },
    });

    const details = await admin.run(REQUEST_DETAILS, { id: overridden });
    expect((details.node as { decisions: unknown[] }).decisions).toEqual([
      { step: 1, decision: 'SKIPPED', comment: 'urgent', approver: { email: ADMIN_EMAIL } },
      { step: 2, decision: 'SKIPPED', comment: 'urgent', approver: { email: ADMIN_EMAIL } },
    ]);
    expect(await notificationsFor(prisma, overridden)).toEqual(
      [
        'APPROVAL_REQUIRED slow@example.com',
        'APPROVAL_REQUIRED slow@example.com',
        'REQUEST_APPROVED ovid@example.com',
        'REQUEST_SUBMITTED ovid@example.com',
      ].sort(),
    );
    expect(await notificationsFor(prisma, deleted)).toContain('REQUEST_DELETED della@example.com');
    expect((await plain.run(MY_REQUESTS_AND_APPS)).myApps.map((a) => a.app.label)).toContain(
      app.label,
    );

    const listed = await admin.run(ALL_REQUESTS, { status: 'CANCELLED' });
    expect(listed.appRequests.edges.map((e) => e.node.id)).toContain(deleted);
    const refused = await server.request(
      'query { appRequests(first: 5) { totalCount } }',
      {},
      { token: plain.token },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('cancels pending requests, with the reason, when an app stops being requestable', async () => {
    const approver = await makeUser(prisma, 'rail-approver@example.com');
    const app = await makeApp(prisma, { label: 'Figma', steps: [{ userId: approver.id }] });
    const requester = await as('gus@example.com');
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    await (
      await as(ADMIN_EMAIL)
    ).run(CLOSE_APP, {
      input: { appId: gid('AppIntegration', app.id), requestable: false },
    });

    const details = await requester.run(REQUEST_DETAILS, { id: requestId });
    expect(details.node).toMatchObject({ status: 'CANCELLED', currentApprovers: [] });
    expect((details.node as { endReason: string }).endReason).toContain('Figma');
    expect(await notificationsFor(prisma, requestId)).toContain(
      'REQUEST_CANCELLED gus@example.com',
    );
  });

  it('hides a request from people who have no part in it', async () => {
    const approver = await makeUser(prisma, 'private-approver@example.com');
    const app = await makeApp(prisma, { steps: [{ userId: approver.id }] });
    const created = await (
      await as('priv@example.com')
    ).run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    const { body } = await (await as('nosy@example.com')).raw(REQUEST_DETAILS, { id: requestId });
    const approverView = await (
      await as('private-approver@example.com')
    ).run(REQUEST_DETAILS, { id: requestId });

    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(approverView.node).toMatchObject({ status: 'PENDING' });
  });

  it('sends suggestions to the technical contact, only while one is set', async () => {
    const user = await as('sugar@example.com');
    const input = { name: 'Miro', url: 'https://miro.com', note: 'For workshops' };

    const off = await user.run(SUGGEST, { input });
    await prisma.orgSettings.update({
      where: { id: 1 },
      data: { technicalContactEmail: 'it@example.com' },
    });
    const bad = await user.run(SUGGEST, { input: { ...input, url: 'not a url' } });
    const on = await user.run(SUGGEST, { input });

    expect(off.suggestApp).toMatchObject({ __typename: 'DisabledError' });
    expect(bad.suggestApp).toMatchObject({ __typename: 'InvalidInputError', field: 'input.url' });
    expect(on.suggestApp).toMatchObject({
      suggestion: {
        name: 'Miro',
        url: 'https://miro.com/',
        suggestedBy: { email: 'sugar@example.com' },
      },
    });
    const mail = await prisma.notification.findFirstOrThrow({ where: { event: 'APP_SUGGESTED' } });
    expect(mail.recipient).toBe('it@example.com');
    expect(mail.body).toContain('Miro');
  });
});
