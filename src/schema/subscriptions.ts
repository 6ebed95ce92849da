import type { LogEvent } from '../events/log-events';
import { keys } from '../events/log-tailer';
import { followEvents, parseCursor } from '../events/follow';
import { InvalidInputError, NotFoundError } from '../services/errors';
import { canSeeRequest } from '../services/requests/visibility';
import { builder } from './builder';
import { parseGlobalId } from './global-id';
import { AppRequestEventTypeEnum } from './requests';

/*
 * Live updates, fed from the request event log. Every subscription takes an
 * optional `after` cursor (the `cursor` of an event it received earlier) and
 * first replays what it missed, then continues live.
 */

type QueueEvent = LogEvent & { change: 'ENTERED' | 'LEFT' };

const ApprovalQueueChangeEnum = builder.enumType('ApprovalQueueChange', {
  values: ['ENTERED', 'LEFT'] as const,
});

const AppRequestEventRef = builder.objectRef<LogEvent>('AppRequestEvent').implement({
  description: 'Something happened to a request.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` when resubscribing to resume after this event.',
      resolve: (event) => event.id.toString(),
    }),
    type: t.field({ type: AppRequestEventTypeEnum, resolve: (event) => event.type }),
    request: t.prismaField({
      type: 'AppRequest',
      description: 'The request as it is now.',
      resolve: (query, event, _args, context) =>
        context.prisma.appRequest.findUniqueOrThrow({ ...query, where: { id: event.requestId } }),
    }),
  }),
});

const ApprovalQueueEventRef = builder.objectRef<QueueEvent>('ApprovalQueueEvent').implement({
  description: "A request entered or left the viewer's approval queue.",
  fields: (t) => ({
    cursor: t.string({ resolve: (event) => event.id.toString() }),
    type: t.field({ type: ApprovalQueueChangeEnum, resolve: (event) => event.change }),
    event: t.field({
      type: AppRequestEventTypeEnum,
      description: 'What happened to the request.',
      resolve: (event) => event.type,
    }),
    request: t.prismaField({
      type: 'AppRequest',
      resolve: (query, event, _args, context) =>
        context.prisma.appRequest.findUniqueOrThrow({ ...query, where: { id: event.requestId } }),
    }),
  }),
});

function cursorArg(value: string | null | undefined): bigint | undefined {
  try {
    return parseCursor(value);
  } catch {
    throw new InvalidInputError('after', `after is not an event cursor: "${value}"`);
  }
}

builder.subscriptionType({
  fields: (t) => ({
    appRequestUpdated: t.field({
      type: AppRequestEventRef,
      description:
        "Events of one request, or without `requestId` of all the viewer's own requests.",
      authScopes: { authenticated: true },
      args: {
        requestId: t.arg.id(),
        after: t.arg.string({ description: 'Replay every event after this cursor first.' }),
      },
      subscribe: async (_root, args, context) => {
        const viewer = context.viewer!;
        const after = cursorArg(args.after);
        if (!args.requestId) {
          return followEvents({
            prisma: context.prisma,
            tailer: context.tailer,
            keys: [keys.requester(viewer.id)],
            where: { request: { requesterId: viewer.id } },
            after,
            select: (event) => event,
          });
        }

        const requestId = parseGlobalId(String(args.requestId), 'AppRequest', 'requestId');
        const request = await context.prisma.appRequest.findUnique({ where: { id: requestId } });
        const [groupIds, participants] = await Promise.all([
          context.loaders.groupIdsOfUser.load(viewer.id),
          context.loaders.participantsOfRequest.load(requestId),
        ]);
        // Someone else's request is reported as missing, so IDs cannot be probed.
        if (!request || !canSeeRequest(viewer, request, groupIds, participants)) {
          throw new NotFoundError('you have no access request with this ID', 'requestId');
        }

        return followEvents({
          prisma: context.prisma,
          tailer: context.tailer,
          keys: [keys.request(requestId)],
          where: { requestId },
          after,
          select: (event) => event,
        });
      },
      resolve: (event) => event,
    }),

    approvalQueueChanged: t.field({
      type: ApprovalQueueEventRef,
      description: "A request entered or left the viewer's approval queue.",
      authScopes: { authenticated: true },
      args: {
        after: t.arg.string({ description: 'Replay every change after this cursor first.' }),
      },
      subscribe: (_root, args, context) => {
        const viewerId = context.viewer!.id;

        return followEvents<QueueEvent>({
          prisma: context.prisma,
          tailer: context.tailer,
          keys: [keys.queue(viewerId)],
          where: { audience: { has: viewerId } },
          after: cursorArg(args.after),
          select: (event) => {
            if (event.queueEntered.includes(viewerId)) {
              return { ...event, change: 'ENTERED' };
            }
            if (event.queueLeft.includes(viewerId)) {
              return { ...event, change: 'LEFT' };
            }
            return null;
          },
        });
      },
      resolve: (event) => event,
    }),
  }),
});
