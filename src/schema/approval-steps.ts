import { TimeoutAction } from '../generated/prisma/client';
import { setApprovalWorkflow } from '../services/workflows';
import { AppIntegrationRef } from './app-integrations';
import { builder } from './builder';
import { parseGlobalId, parseOptionalGlobalId } from './global-id';
import { defineMutation } from './mutation';

export const TimeoutActionEnum = builder.enumType(TimeoutAction, {
  name: 'TimeoutAction',
  description: "What happens when a step's window ends without a decision.",
});

export const ApprovalStepRef = builder.prismaNode('ApprovalStep', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  authScopes: { authenticated: true },
  fields: (t) => ({
    position: t.exposeInt('position', { description: '1-based order within the chain.' }),
    approverUser: t.relation('approverUser', { nullable: true }),
    approverGroup: t.relation('approverGroup', {
      nullable: true,
      description: 'Any one member may decide.',
    }),
    timeout: t.expose('timeout', {
      type: 'Duration',
      nullable: true,
      description: "How long the step waits, such as P3D; null means the org's default window.",
    }),
    timeoutAction: t.expose('timeoutAction', { type: TimeoutActionEnum }),
    escalateTo: t.relation('escalateTo', {
      nullable: true,
      description: 'Who decides once the window ends, when timeoutAction is ESCALATE.',
    }),
    notificationMessage: t.exposeString('notificationMessage', { nullable: true }),
  }),
});

const ApprovalStepInput = builder.inputType('ApprovalStepInput', {
  fields: (t) => ({
    approverUserId: t.id({ description: 'Exactly one of approverUserId and approverGroupId.' }),
    approverGroupId: t.id(),
    timeout: t.string({ description: "ISO-8601 duration; absent means the org's default." }),
    timeoutAction: t.field({ type: TimeoutActionEnum, description: 'Default EXPIRE.' }),
    escalateToUserId: t.id({ description: 'Required with ESCALATE, refused otherwise.' }),
    notificationMessage: t.string({
      description: "Added to the approver's e-mail; at most 2000 characters.",
    }),
  }),
});

const SetApprovalWorkflowInput = builder.inputType('SetApprovalWorkflowInput', {
  fields: (t) => ({
    appId: t.id({ required: true }),
    steps: t.field({
      type: [ApprovalStepInput],
      required: true,
      description: 'The whole chain, first step first; at most 10; [] removes it.',
    }),
  }),
});

defineMutation({
  name: 'setApprovalWorkflow',
  description: "Administrators: replace an app's approval chain. Pending requests for the app end.",
  scope: 'admin',
  input: SetApprovalWorkflowInput,
  payloadField: 'app',
  payloadType: AppIntegrationRef,
  resolve: (input, context) => {
    const appId = parseGlobalId(input.appId, 'AppIntegration', 'input.appId');
    const steps = input.steps.map((step, index) => {
      const field = `input.steps.${index}`;

      return {
        ...step,
        approverUserId: parseOptionalGlobalId(
          step.approverUserId,
          'User',
          `${field}.approverUserId`,
        ),
        approverGroupId: parseOptionalGlobalId(
          step.approverGroupId,
          'Group',
          `${field}.approverGroupId`,
        ),
        escalateToUserId: parseOptionalGlobalId(
          step.escalateToUserId,
          'User',
          `${field}.escalateToUserId`,
        ),
      };
    });

    return setApprovalWorkflow(context, { appId, steps }, context.viewer.id);
  },
});
