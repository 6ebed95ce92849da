import { graphql } from './generated';
import type { ApprovalStepInput } from './generated/graphql';
import {
  createApp,
  createGroup,
  insertPendingRequest,
  rawId,
  requestState,
  signIn,
  unknownId,
  type Person,
} from './support/catalog';
import { ADMIN_EMAIL, DATABASE_KINDS, startTestServer, type TestServer } from './support/server';

const WORKFLOW_SET = graphql(`
  mutation WorkflowSet($input: SetApprovalWorkflowInput!) {
    setApprovalWorkflow(input: $input) {
      __typename
      ... on SetApprovalWorkflowPayload {
        app {
          id
          approvalSteps {
            position
            approverUser {
              id
            }
            approverGroup {
              id
            }
            timeout
            timeoutAction
            escalateTo {
              id
            }
            notificationMessage
          }
        }
      }
      ... on Error {
        message
        code
      }
      ... on InvalidInputError {
        field
      }
      ... on NotFoundError {
        missingField: field
      }
    }
  }
`);

describe.each(DATABASE_KINDS)('setApprovalWorkflow (%s)', (kind) => {
  let server: TestServer;
  let admin: Person;
  let manager: Person;
  let director: Person;
  let requester: Person;
  let financeGroup: string;
  let itGroup: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await signIn(server, ADMIN_EMAIL);
    manager = await signIn(server, 'manager@example.com', 'Mia Manager');
    director = await signIn(server, 'director@example.com', 'Dan Director');
    requester = await signIn(server, 'requester@example.com');
    financeGroup = await createGroup(server, 'Finance');
    itGroup = await createGroup(server, 'IT');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The stored chain, in a form that is easy to compare. */
  const storedChain = (appRawId: string) =>
    server.server.db.prisma.approvalStep.findMany({
      where: { appId: appRawId },
      orderBy: { position: 'asc' },
      select: { position: true, approverUserId: true, approverGroupId: true, timeout: true },
    });

  /** A valid three-step chain: a user, a group, and a step that escalates. */
  const threeSteps = (): ApprovalStepInput[] => [
    { approverUserId: manager.id, timeout: 'p3d', notificationMessage: 'Please review.' },
    { approverGroupId: financeGroup, timeoutAction: 'DENY' },
    {
      approverUserId: director.id,
      timeout: 'PT2S',
      timeoutAction: 'ESCALATE',
      escalateToUserId: admin.id,
    },
  ];

  it('stores the chain in order, positions 1..n, and shows it on the app', async () => {
    const app = await createApp(admin.client, { name: 'chain' });

    const data = await admin.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: threeSteps() },
    });

    expect(data.setApprovalWorkflow).toEqual({
      __typename: 'SetApprovalWorkflowPayload',
      app: {
        id: app.id,
        approvalSteps: [
          {
            position: 1,
            approverUser: { id: manager.id },
            approverGroup: null,
            timeout: 'P3D',
            timeoutAction: 'EXPIRE',
            escalateTo: null,
            notificationMessage: 'Please review.',
          },
          {
            position: 2,
            approverUser: null,
            approverGroup: { id: financeGroup },
            timeout: null,
            timeoutAction: 'DENY',
            escalateTo: null,
            notificationMessage: null,
          },
          {
            position: 3,
            approverUser: { id: director.id },
            approverGroup: null,
            timeout: 'PT2S',
            timeoutAction: 'ESCALATE',
            escalateTo: { id: admin.id },
            notificationMessage: null,
          },
        ],
      },
    });
  });

  it('replaces the whole chain, and an empty list removes it', async () => {
    const app = await createApp(admin.client, { name: 'replace' });
    await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: threeSteps() } });

    await admin.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: [{ approverGroupId: itGroup }] },
    });
    const replaced = await storedChain(app.rawId);
    await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: [] } });

    expect(replaced).toEqual([
      { position: 1, approverUserId: null, approverGroupId: rawId(itGroup), timeout: null },
    ]);
    expect(await storedChain(app.rawId)).toEqual([]);
  });

  it('accepts ten steps', async () => {
    const app = await createApp(admin.client, { name: 'ten-steps' });
    const groups = [];
    for (let index = 0; index < 10; index += 1) {
      groups.push(await createGroup(server, `Step group ${index}`));
    }

    const data = await admin.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: groups.map((id) => ({ approverGroupId: id })) },
    });

    expect(data.setApprovalWorkflow.__typename).toBe('SetApprovalWorkflowPayload');
    expect(await storedChain(app.rawId)).toHaveLength(10);
  });

  describe('refuses a chain that breaks a rule, naming the field, and changes nothing', () => {
    const cases: [string, () => ApprovalStepInput[], string][] = [
      [
        'more than ten steps',
        () => Array.from({ length: 11 }, () => ({ approverGroupId: itGroup })),
        'input.steps',
      ],
      ['a step with no approver', () => [{ timeout: 'P1D' }], 'input.steps.0'],
      [
        'a step with a user and a group',
        () => [{ approverUserId: manager.id, approverGroupId: itGroup }],
        'input.steps.0',
      ],
      [
        'the same user twice',
        () => [
          { approverUserId: manager.id },
          { approverGroupId: itGroup },
          { approverUserId: manager.id },
        ],
        'input.steps.2.approverUserId',
      ],
      [
        'the same group twice',
        () => [{ approverGroupId: itGroup }, { approverGroupId: itGroup }],
        'input.steps.1.approverGroupId',
      ],
      [
        'a timeout that is no ISO-8601 duration',
        () => [{ approverUserId: manager.id }, { approverGroupId: itGroup, timeout: '3 days' }],
        'input.steps.1.timeout',
      ],
      [
        'a timeout under a second',
        () => [{ approverUserId: manager.id, timeout: 'PT0S' }],
        'input.steps.0.timeout',
      ],
      [
        'ESCALATE without escalateToUserId',
        () => [{ approverUserId: manager.id, timeoutAction: 'ESCALATE' }],
        'input.steps.0.escalateToUserId',
      ],
      [
        'escalateToUserId with another action',
        () => [{ approverUserId: manager.id, timeoutAction: 'DENY', escalateToUserId: admin.id }],
        'input.steps.0.escalateToUserId',
      ],
      [
        'escalateToUserId without an action (EXPIRE)',
        () => [{ approverUserId: manager.id, escalateToUserId: admin.id }],
        'input.steps.0.escalateToUserId',
      ],
      [
        'escalation to the step approver',
        () => [
          { approverUserId: manager.id, timeoutAction: 'ESCALATE', escalateToUserId: manager.id },
        ],
        'input.steps.0.escalateToUserId',
      ],
      [
        'a notification message over 2000 characters',
        () => [{ approverUserId: manager.id, notificationMessage: 'x'.repeat(2_001) }],
        'input.steps.0.notificationMessage',
      ],
      [
        'a group ID as approverUserId',
        () => [{ approverUserId: itGroup }],
        'input.steps.0.approverUserId',
      ],
      [
        'a user ID as approverGroupId',
        () => [{ approverUserId: manager.id }, { approverGroupId: manager.id }],
        'input.steps.1.approverGroupId',
      ],
      [
        'a malformed escalateToUserId',
        () => [{ approverUserId: manager.id, timeoutAction: 'ESCALATE', escalateToUserId: 'x' }],
        'input.steps.0.escalateToUserId',
      ],
    ];

    let serial = 0;

    it.each(cases)('%s', async (_case, steps, field) => {
      serial += 1;
      const app = await createApp(admin.client, { name: `invalid-chain-${serial}` });
      await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: threeSteps() } });
      const before = await storedChain(app.rawId);

      const data = await admin.client.run(WORKFLOW_SET, {
        input: { appId: app.id, steps: steps() },
      });

      expect(data.setApprovalWorkflow).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field,
      });
      expect(await storedChain(app.rawId)).toEqual(before);
    });
  });

  describe('refuses IDs that name nothing with NOT_FOUND, naming the field', () => {
    it.each([
      ['approverUserId', () => ({ approverUserId: unknownId('User') })],
      ['approverGroupId', () => ({ approverGroupId: unknownId('Group') })],
      [
        'escalateToUserId',
        () => ({
          approverGroupId: itGroup,
          timeoutAction: 'ESCALATE' as const,
          escalateToUserId: unknownId('User'),
        }),
      ],
    ])('%s', async (name, step) => {
      const app = await createApp(admin.client, { name: `unknown-${name.toLowerCase()}` });
      await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: threeSteps() } });
      const before = await storedChain(app.rawId);

      const data = await admin.client.run(WORKFLOW_SET, {
        input: { appId: app.id, steps: [{ approverUserId: manager.id }, step()] },
      });

      expect(data.setApprovalWorkflow).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        missingField: `input.steps.1.${name}`,
      });
      expect(await storedChain(app.rawId)).toEqual(before);
    });

    it('appId', async () => {
      const data = await admin.client.run(WORKFLOW_SET, {
        input: { appId: unknownId('AppIntegration'), steps: threeSteps() },
      });

      expect(data.setApprovalWorkflow).toMatchObject({
        code: 'NOT_FOUND',
        missingField: 'input.appId',
      });
    });
  });

  it('refuses a non-administrator with FORBIDDEN and changes nothing', async () => {
    const app = await createApp(admin.client, { name: 'forbidden-chain' });
    await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: threeSteps() } });
    const before = await storedChain(app.rawId);

    const data = await manager.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: [{ approverUserId: manager.id }] },
    });

    expect(data.setApprovalWorkflow).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(await storedChain(app.rawId)).toEqual(before);
  });

  it('ends the pending requests of the app, with reason and event, on replacement', async () => {
    const app = await createApp(admin.client, { name: 'guarded', label: 'Salesforce' });
    const other = await createApp(admin.client, { name: 'unrelated' });
    await admin.client.run(WORKFLOW_SET, { input: { appId: app.id, steps: threeSteps() } });
    const requestId = await insertPendingRequest(server, app.rawId, requester.rawId);
    const otherRequestId = await insertPendingRequest(server, other.rawId, requester.rawId);

    await admin.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: [{ approverGroupId: itGroup }] },
    });

    expect(await requestState(server, requestId)).toEqual({
      status: 'CANCELLED',
      endReason:
        'Access requests for Salesforce were closed: its approval workflow was replaced; ' +
        'request the app again if you still need it.',
      events: [{ type: 'CANCELLED', actorId: admin.rawId }],
    });
    expect((await requestState(server, otherRequestId)).status).toBe('PENDING');
  });

  it('leaves pending requests alone when the chain is refused', async () => {
    const app = await createApp(admin.client, { name: 'guarded-invalid' });
    const requestId = await insertPendingRequest(server, app.rawId, requester.rawId);

    await admin.client.run(WORKFLOW_SET, {
      input: { appId: app.id, steps: [{ approverUserId: unknownId('User') }] },
    });

    expect((await requestState(server, requestId)).status).toBe('PENDING');
  });
});
