import type { NotificationEvent, Prisma } from '../generated/prisma/client';
import { NotificationStatus } from '../generated/prisma/enums';
import { builder } from './builder';
import { NotificationEventEnum } from './notification-templates';

/*
 * The notification outbox as administrators see it: every message the
 * server wrote, rendered, with where its delivery stands. It answers "did
 * the approver get the mail?" without access to the mail server's logs.
 */

export const NotificationStatusEnum = builder.enumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where the delivery of one notification stands.',
});

export const NotificationRef = builder.prismaNode('Notification', {
  id: { field: 'id' },
  // node(id:) answers null for an ID that finds nothing.
  nullable: true,
  // Guarded as a type, so that `node(id:)` cannot reach a message either.
  authScopes: { admin: true },
  description: 'One message of the outbox, rendered when the change that caused it committed.',
  fields: (t) => ({
    event: t.expose('event', { type: NotificationEventEnum }),
    recipient: t.exposeString('recipient', { description: 'One e-mail address.' }),
    subject: t.exposeString('subject'),
    body: t.exposeString('body', { description: 'The plain-text body, values as they were.' }),
    status: t.expose('status', { type: NotificationStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Delivery attempts made so far.' }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: "The mail server's answer to the last failed attempt.",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    request: t.relation('request', {
      nullable: true,
      description: 'The access request it is about; null for suggestions or a deleted request.',
    }),
  }),
});

interface NotificationFilter {
  status?: NotificationStatus | null;
  event?: NotificationEvent | null;
}

function notificationWhere(args: NotificationFilter): Prisma.NotificationWhereInput {
  return {
    ...(args.status && { status: args.status }),
    ...(args.event && { event: args.event }),
  };
}

builder.queryField('notifications', (t) =>
  t.prismaConnection({
    type: 'Notification',
    cursor: 'id',
    description: 'Administrators: the notification outbox, newest first.',
    authScopes: { admin: true },
    args: {
      status: t.arg({ type: NotificationStatusEnum }),
      event: t.arg({ type: NotificationEventEnum }),
    },
    totalCount: (_root, args, context) =>
      context.prisma.notification.count({ where: notificationWhere(args) }),
    resolve: (query, _root, args, context) =>
      context.prisma.notification.findMany({
        ...query,
        where: notificationWhere(args),
        // The id breaks ties between rows of one transaction, which share
        // a creation time, so pages neither skip nor repeat a row.
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);
