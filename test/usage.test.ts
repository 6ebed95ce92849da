import { setTimeout as sleep } from 'node:timers/promises';

import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

/*
 * The Usage tab over a small org whose history is made through the API:
 * requests approved, denied, cancelled, left pending, granted at once and
 * expired by a step timeout, and personal apps of two people.
 */

const USAGE_TAB = graphql(`
  query UsageTab {
    selfServiceUsage {
      requestsByStatus {
        status
        count
      }
      requestsByApp {
        app {
          id
          label
        }
        total
        pending
        approved
        denied
        expired
        cancelled
      }
      timeToDecision {
        decided
        medianSeconds
        p90Seconds
      }
      expiredCount
      personalApps {
        total
        users
        distinctApps
        top {
          name
          url
          userCount
        }
      }
    }
  }
`);

const USAGE_VIEWER = graphql(`
  query UsageViewer {
    viewer {
      id
    }
  }
`);

const USAGE_REQUEST_APP = graphql(`
  mutation UsageRequestApp($input: RequestAppInput!) {
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
      }
    }
  }
`);

const USAGE_APPROVE = graphql(`
  mutation UsageApprove($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const USAGE_DENY = graphql(`
  mutation UsageDeny($input: DenyRequestInput!) {
    denyRequest(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const USAGE_CANCEL = graphql(`
  mutation UsageCancel($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const USAGE_ADD_PERSONAL_APP = graphql(`
  mutation UsageAddPersonalApp($input: AddPersonalAppInput!) {
    addPersonalApp(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

type Client = ReturnType<typeof clientFor>;

const EMPTY_STATUSES = [
  { status: 'PENDING', count: 0 },
  { status: 'APPROVED', count: 0 },
  { status: 'DENIED', count: 0 },
  { status: 'CANCELLED', count: 0 },
  { status: 'EXPIRED', count: 0 },
];

describe.each(DATABASE_KINDS)('selfServiceUsage (%s)', (kind) => {
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = clientFor(server, await server.token(ADMIN_EMAIL));
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function signIn(email: string): Promise<{ client: Client; id: string }> {
    const client = clientFor(server, await server.token(email));
    const { viewer } = await client.run(USAGE_VIEWER);

    return { client, id: decodeGlobalID(viewer.id).id };
  }

  /** An app written to the database; its one step (if any) names `approverId`. */
  async function createApp(
    label: string,
    options: { approverId?: string; timeout?: string },
  ): Promise<string> {
    const app = await server.server.db.prisma.appIntegration.create({
      data: {
        name: label.toLowerCase().replace(/\W+/g, '-'),
        label,
        requestable: true,
        approvalRequired: options.approverId !== undefined,
        ...(options.approverId && {
          approvalSteps: {
            create: { position: 1, approverUserId: options.approverId, timeout: options.timeout },
          },
        }),
      },
    });

    return encodeGlobalID('AppIntegration', app.id);
  }

  async function request(client: Client, appId: string): Promise<string> {
    const { requestApp } = await client.run(USAGE_REQUEST_APP, { input: { appId } });
    if (requestApp.__typename !== 'RequestAppPayload') {
      throw new Error(`requestApp failed: ${JSON.stringify(requestApp)}`);
    }

    return requestApp.request.id;
  }

  /** Fails the test unless a mutation answered with its payload. */
  function expectPayload(result: { __typename: string }, typename: string): void {
    expect(result).toMatchObject({ __typename: typename });
  }

  it('answers zeros, not gaps, before anything happened', async () => {
    const { selfServiceUsage } = await admin.run(USAGE_TAB);

    expect(selfServiceUsage).toEqual({
      requestsByStatus: EMPTY_STATUSES,
      requestsByApp: [],
      timeToDecision: { decided: 0, medianSeconds: null, p90Seconds: null },
      expiredCount: 0,
      personalApps: { total: 0, users: 0, distinctApps: 0, top: [] },
    });
  });

  it('counts requests by status and app, times decisions, and groups personal apps', async () => {
    const prisma = server.server.db.prisma;
    const approver = await signIn('usage.approver@example.com');
    const alice = await signIn('usage.alice@example.com');
    const bob = await signIn('usage.bob@example.com');
    const carol = await signIn('usage.carol@example.com');
    const alpha = await createApp('Usage Alpha', { approverId: approver.id });
    const beta = await createApp('Usage Beta', { approverId: approver.id });
    const gamma = await createApp('Usage Gamma', {});
    const delta = await createApp('Usage Delta', { approverId: approver.id, timeout: 'PT1S' });

    // 1. Alpha: approved, denied, cancelled. Beta: left pending. Gamma needs
    // no approval. Delta's one-second window runs out.
    const approved = await request(alice.client, alpha);
    const denied = await request(bob.client, alpha);
    const cancelled = await request(carol.client, alpha);
    await request(alice.client, beta);
    const immediate = await request(bob.client, gamma);
    const expired = await request(carol.client, delta);
    const approve = await approver.client.run(USAGE_APPROVE, { input: { requestId: approved } });
    const deny = await approver.client.run(USAGE_DENY, { input: { requestId: denied } });
    const cancel = await carol.client.run(USAGE_CANCEL, { input: { requestId: cancelled } });
    expectPayload(approve.approveRequest, 'ApproveRequestPayload');
    expectPayload(deny.denyRequest, 'DenyRequestPayload');
    expectPayload(cancel.cancelRequest, 'CancelRequestPayload');
    await waitForStatus(server, expired, 'EXPIRED');

    // 2. Give every ended request a known age, so the percentiles are exact:
    // decided after 60 s, 120 s and 600 s. The request granted at once and
    // the cancelled one get ages that would show if they were counted.
    const ages: [string, number][] = [
      [approved, 60],
      [denied, 120],
      [expired, 600],
      [immediate, 5_000],
      [cancelled, 7_000],
    ];
    for (const [id, seconds] of ages) {
      const row = await prisma.appRequest.findUniqueOrThrow({ where: { id: rawId(id) } });
      await prisma.appRequest.update({
        where: { id: row.id },
        data: { createdAt: new Date(row.resolvedAt!.getTime() - seconds * 1_000) },
      });
    }

    // 3. Personal apps: the same app twice, spelt differently, and another.
    const personalApps = [
      [alice.client, 'Figma', 'https://figma.com'],
      [alice.client, 'Notion', 'https://notion.so/'],
      [bob.client, '  figma ', 'HTTPS://Figma.com/'],
    ] as const;
    for (const [client, name, url] of personalApps) {
      const { addPersonalApp } = await client.run(USAGE_ADD_PERSONAL_APP, {
        input: { name, url },
      });
      expectPayload(addPersonalApp, 'AddPersonalAppPayload');
    }

    const { selfServiceUsage: usage } = await admin.run(USAGE_TAB);

    expect(usage.requestsByStatus).toEqual([
      { status: 'PENDING', count: 1 },
      { status: 'APPROVED', count: 2 },
      { status: 'DENIED', count: 1 },
      { status: 'CANCELLED', count: 1 },
      { status: 'EXPIRED', count: 1 },
    ]);
    expect(usage.requestsByApp).toEqual([
      {
        app: { id: alpha, label: 'Usage Alpha' },
        total: 3,
        pending: 0,
        approved: 1,
        denied: 1,
        expired: 0,
        cancelled: 1,
      },
      {
        app: { id: beta, label: 'Usage Beta' },
        total: 1,
        pending: 1,
        approved: 0,
        denied: 0,
        expired: 0,
        cancelled: 0,
      },
      {
        app: { id: delta, label: 'Usage Delta' },
        total: 1,
        pending: 0,
        approved: 0,
        denied: 0,
        expired: 1,
        cancelled: 0,
      },
      {
        app: { id: gamma, label: 'Usage Gamma' },
        total: 1,
        pending: 0,
        approved: 1,
        denied: 0,
        expired: 0,
        cancelled: 0,
      },
    ]);
    // percentile_cont interpolates: the 90th percentile of 60, 120 and 600
    // lies 80% of the way from 120 to 600.
    expect(usage.timeToDecision).toEqual({ decided: 3, medianSeconds: 120, p90Seconds: 504 });
    expect(usage.expiredCount).toBe(1);
    expect(usage.personalApps).toMatchObject({ total: 3, users: 2, distinctApps: 2 });
    expect(usage.personalApps.top).toEqual([
      { name: 'figma', url: expect.stringMatching(/^https:\/\/figma\.com\/?$/i), userCount: 2 },
      { name: 'Notion', url: 'https://notion.so/', userCount: 1 },
    ]);
  });

  it('sends as many SQL statements for many apps as for few', async () => {
    const prisma = server.server.db.prisma;
    const requester = await signIn('usage.many@example.com');
    // The workers query through the same counter every half second; they
    // only add, so the fewest of a few runs is the operation's own count.
    const measure = async () => {
      let fewest = Number.POSITIVE_INFINITY;
      let apps = 0;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        server.server.db.queries.count = 0;
        const { selfServiceUsage } = await admin.run(USAGE_TAB);
        fewest = Math.min(fewest, server.server.db.queries.count);
        apps = selfServiceUsage.requestsByApp.length;
      }

      return { statements: fewest, apps };
    };

    const few = await measure();
    for (let n = 0; n < 10; n += 1) {
      // Rows written directly: only the counts matter here, not the flow.
      await prisma.appIntegration.create({
        data: {
          name: `usage-many-${n}`,
          label: `Usage Many ${n}`,
          requests: { create: { requesterId: requester.id, status: 'CANCELLED' } },
        },
      });
    }
    const many = await measure();

    expect(many.apps).toBe(few.apps + 10);
    expect(many.statements).toBe(few.statements);
  });

  it('refuses the Usage tab to anyone but an administrator', async () => {
    const { client } = await signIn('usage.nosy@example.com');

    const { body } = await client.raw(USAGE_TAB);

    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

function rawId(globalId: string): string {
  return decodeGlobalID(globalId).id;
}

/** Waits for the timeout worker, which checks twice a second. */
async function waitForStatus(server: TestServer, requestId: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await server.server.db.prisma.appRequest.findUniqueOrThrow({
      where: { id: rawId(requestId) },
    });
    if (row.status === status) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`request ${requestId} is ${row.status}, not ${status}, after 10 s`);
    }
    await sleep(100);
  }
}
