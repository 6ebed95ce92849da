import { NotificationEvent } from '../generated/prisma/enums';
import { setTemplate, type ResolvedTemplate } from '../services/templates';
import { builder } from './builder';
import { defineMutation } from './mutation';

/** The events that send a notification; the values of the Prisma enum. */
export const NotificationEventEnum = builder.enumType('NotificationEvent', {
  values: Object.values(NotificationEvent),
});

export const NotificationTemplateRef = builder
  .objectRef<ResolvedTemplate>('NotificationTemplate')
  .implement({
    description:
      "The subject and plain-text body of one event's notifications, with {{placeholders}}.",
    fields: (t) => ({
      event: t.field({ type: NotificationEventEnum, resolve: (template) => template.event }),
      subject: t.exposeString('subject'),
      body: t.exposeString('body'),
      isDefault: t.exposeBoolean('isDefault', {
        description: 'True until an administrator saves a template for the event.',
      }),
      updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    }),
  });

const SetNotificationTemplateInput = builder.inputType('SetNotificationTemplateInput', {
  fields: (t) => ({
    event: t.field({ type: NotificationEventEnum, required: true }),
    subject: t.string({ required: true, description: 'One line, at most 200 characters.' }),
    body: t.string({ required: true, description: 'Plain text, at most 5,000 characters.' }),
  }),
});

defineMutation({
  name: 'setNotificationTemplate',
  description: "Administrators: replace an event's notification template.",
  scope: 'admin',
  input: SetNotificationTemplateInput,
  payloadField: 'template',
  payloadType: NotificationTemplateRef,
  resolve: (input, context) => setTemplate(context.prisma, input),
});
