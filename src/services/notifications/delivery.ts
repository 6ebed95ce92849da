import nodemailer, { type Transporter } from 'nodemailer';

import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../../logger';

/** Attempts before a notification is given up as FAILED. */
export const MAX_ATTEMPTS = 5;

// While one instance sends a claimed notification, others skip it until
// this lease runs out; a crash mid-send therefore means a retry, not a loss.
const LEASE_MS = 60_000;

/** Waits 2 s, 4 s, 8 s, 16 s between attempts. */
export function backoffMs(attempts: number): number {
  return 1_000 * 2 ** attempts;
}

export interface DeliveryOptions {
  prisma: PrismaClient;
  log: Logger;
  /** smtp:// or smtps:// URL; undefined keeps messages in the outbox and logs them. */
  smtpUrl: string | undefined;
  from?: string;
}

export interface Delivery {
  /** Delivers what is due now; returns how many notifications it handled. */
  deliverDue(now?: Date): Promise<number>;
  close(): void;
}

/**
 * Delivers the notification outbox. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and leased in a short transaction, then sent
 * outside it, so several instances share the work, none holds a database
 * connection while talking to the mail server, and each message goes out
 * once unless a send is interrupted (then it is retried: at least once).
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { prisma, log } = options;
  const from = options.from ?? 'Self Service <self-service@localhost>';
  const transport: Transporter | undefined = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : undefined;

  async function claim(now: Date): Promise<{ id: string; attempts: number }[]> {
    return prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; attempts: number }[]>`
        SELECT id, attempts FROM notifications
        WHERE status = 'PENDING' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at
        LIMIT 20
        FOR UPDATE SKIP LOCKED`;
      if (rows.length) {
        await tx.notification.updateMany({
          where: { id: { in: rows.map((row) => row.id) } },
          data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
        });
      }
      return rows;
    });
  }

  async function deliverOne(id: string, attempts: number): Promise<void> {
    const notification = await prisma.notification.findUniqueOrThrow({ where: { id } });

    if (!transport) {
      log.info(
        {
          notificationId: id,
          event: notification.event,
          recipient: notification.recipient,
          subject: notification.subject,
        },
        'notification kept in the outbox (SMTP_URL is not set)',
      );
      await prisma.notification.update({ where: { id }, data: { status: 'LOGGED' } });
      return;
    }

    try {
      await transport.sendMail({
        from,
        to: notification.recipient,
        subject: notification.subject,
        text: notification.body,
        ...(notification.htmlBody && { html: notification.htmlBody }),
      });
      await prisma.notification.update({
        where: { id },
        data: { status: 'SENT', sentAt: new Date(), attempts: attempts + 1, lastError: null },
      });
    } catch (error) {
      const failedFor = attempts + 1;
      const givingUp = failedFor >= MAX_ATTEMPTS;
      const message = error instanceof Error ? error.message : String(error);
      await prisma.notification.update({
        where: { id },
        data: {
          attempts: failedFor,
          lastError: message.slice(0, 1_000),
          status: givingUp ? 'FAILED' : 'PENDING',
          nextAttemptAt: new Date(Date.now() + backoffMs(failedFor)),
        },
      });
      log.warn(
        {
          notificationId: id,
          recipient: notification.recipient,
          attempts: failedFor,
          err: message,
        },
        givingUp
          ? 'notification FAILED after the last attempt; check SMTP_URL and the mail server, then resend'
          : 'notification delivery failed; will retry',
      );
    }
  }

  return {
    async deliverDue(now = new Date()) {
      const claimed = await claim(now);
      for (const row of claimed) {
        await deliverOne(row.id, row.attempts);
      }
      return claimed.length;
    },
    close() {
      transport?.close();
    },
  };
}
