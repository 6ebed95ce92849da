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

/**
 * Writes notifications into the outbox inside the caller's transaction: they
 * exist exactly when the change that caused them committed. The delivery
 * worker sends them later (src/services/notifications/delivery.ts).
 */
export async function enqueueNotification(
  tx: Tx,
  notification: OutgoingNotification,
): Promise<number> {
  const recipients = [
    ...new Set([...notification.recipients].map((email) => email.trim().toLowerCase())),
  ].filter(Boolean);
  if (recipients.length === 0) {
    return 0;
  }

  const template = await getTemplate(tx, notification.event);
  const rendered = renderTemplate(template, notification.values);
  const { count } = await tx.notification.createMany({
    data: recipients.map((recipient) => ({
      event: notification.event,
      recipient,
      subject: rendered.subject,
      body: rendered.text,
      htmlBody: rendered.html,
      requestId: notification.requestId ?? null,
    })),
  });

  return count;
}
