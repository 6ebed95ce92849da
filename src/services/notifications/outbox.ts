import type { NotificationEvent } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import { getTemplate, renderTemplate, type TemplateValues } from '../templates';

export interface OutgoingNotification {
  event: NotificationEvent;
  /** E-mail addresses; duplicates and blanks are dropped. */
  recipients: Iterable<string>;
  values: TemplateValues;
  requestId?: string;
}

/** One message per recipient, each with values of its own (a greeting, say). */
export interface PersonalNotifications {
  event: NotificationEvent;
  messages: { recipient: string; values: TemplateValues }[];
  requestId?: string;
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Writes notifications into the outbox inside the caller's transaction: they
 * exist exactly when the change that caused them committed. The delivery
 * worker sends them later (src/services/notifications/delivery.ts).
 */
export async function enqueueNotification(
  tx: Tx,
  notification: OutgoingNotification,
): Promise<number> {
  const recipients = [...new Set([...notification.recipients].map(normalise))].filter(Boolean);

  return enqueuePersonalNotifications(tx, {
    event: notification.event,
    messages: recipients.map((recipient) => ({ recipient, values: notification.values })),
    requestId: notification.requestId,
  });
}

/**
 * Like enqueueNotification, with values per recipient. One template read and
 * one insert however many recipients: a group step with a hundred approvers
 * must not hold the transaction for two hundred round trips.
 */
export async function enqueuePersonalNotifications(
  tx: Tx,
  notifications: PersonalNotifications,
): Promise<number> {
  const seen = new Set<string>();
  const messages = notifications.messages.filter(({ recipient }) => {
    const email = normalise(recipient);
    if (!email || seen.has(email)) {
      return false;
    }
    seen.add(email);
    return true;
  });
  if (messages.length === 0) {
    return 0;
  }

  const template = await getTemplate(tx, notifications.event);
  const { count } = await tx.notification.createMany({
    data: messages.map(({ recipient, values }) => {
      const rendered = renderTemplate(template, values);

      return {
        event: notifications.event,
        recipient: normalise(recipient),
        subject: rendered.subject,
        body: rendered.text,
        htmlBody: rendered.html,
        requestId: notifications.requestId ?? null,
      };
    }),
  });

  return count;
}
