import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/*
 * A real SMTP server on the loopback interface, so that the tests see what
 * nodemailer actually put on the wire (headers, both bodies, encoding)
 * rather than what a mocked transport was handed.
 */

/** One message the server accepted, decoded. */
export interface ReceivedMessage {
  /** The envelope's recipients (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  /** The HTML alternative, exactly as sent; undefined when there was none. */
  html: string | undefined;
}

export interface TestSmtpServer {
  /** Give this to the server under test as SMTP_URL. */
  url: string;
  /** Every accepted message, in the order received. */
  messages: ReceivedMessage[];
  /**
   * Resolves with the first message, already received or still to come, that
   * `predicate` accepts; rejects after `timeoutMs` listing what did arrive.
   *
   * @default timeoutMs 10_000
   */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMessage>;
  /**
   * Refuses the next `count` messages with `451` (a temporary failure) after
   * reading them, as a mail server that is briefly unavailable would.
   */
  failNext(count: number): void;
  /** How many messages were refused by failNext so far. */
  rejected(): number;
  close(): Promise<void>;
}

interface Waiter {
  predicate: (message: ReceivedMessage) => boolean;
  resolve: (message: ReceivedMessage) => void;
}

/** A temporary failure as smtp-server reports it: the code goes on the wire. */
function temporaryFailure(): Error {
  return Object.assign(new Error('Mailbox temporarily unavailable (test)'), { responseCode: 451 });
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = [];
  const waiters = new Set<Waiter>();
  let failures = 0;
  let rejected = 0;

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    // The stream must be read to its end before answering either way, or
    // the client waits for a reply that never comes.
    const parsed = await simpleParser(stream);

    if (failures > 0) {
      failures -= 1;
      rejected += 1;
      throw temporaryFailure();
    }

    const message: ReceivedMessage = {
      to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: parsed.html === false ? undefined : parsed.html,
    };
    messages.push(message);

    for (const waiter of waiters) {
      if (waiter.predicate(message)) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Connections left open by a client that did not QUIT must not hold up
    // the end of a test file for the default 30 seconds.
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      receive(stream, session).then(
        () => callback(),
        (error: Error) => callback(error),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) {
        return Promise.resolve(found);
      }

      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((message) => `${message.to.join(',')}: ${message.subject}`);
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; received ${messages.length}: ` +
                JSON.stringify(seen),
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(count) {
      failures = count;
    },
    rejected: () => rejected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
