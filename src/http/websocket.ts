import type { Server as HttpServer } from 'node:http';

import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

import type { Context } from '../context';
import type { Logger } from '../logger';
import { createLoaders } from '../schema/loaders';
import { createContext, type ContextDeps } from './context';

/** Limits of one WebSocket connection. */
export const WEBSOCKET_LIMITS = {
  /** Subscriptions (and other operations) running at once on one socket. */
  maxOperations: 50,
  /** The largest message a client may send. */
  maxMessageBytes: 64 * 1024,
  /** How long a client has to send connection_init. */
  initTimeoutMs: 5_000,
  /** Ping interval; a peer that does not answer is dropped. */
  keepAliveMs: 12_000,
};

/**
 * Close code for a client that runs more operations than the limit allows
 * (graphql-ws uses 4429 for a similar excess: repeated connection_init).
 */
export const CLOSE_TOO_MANY_OPERATIONS = 4429;

type ConnectionParams = Record<string, unknown> & { authorization?: unknown };

/**
 * GraphQL over WebSocket (the graphql-transport-ws protocol of graphql-ws) on
 * the same `/graphql` path as HTTP. The token travels in the
 * `connection_init` payload; a missing or bad one closes the socket with
 * 4403 before any operation runs.
 */
export function attachWebSocket(
  httpServer: HttpServer,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Yoga's server context is empty here
  yoga: YogaServerInstance<{}, Context>,
  deps: ContextDeps,
  log: Logger,
): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: yoga.graphqlEndpoint,
    // A larger message closes the socket with 1009 (message too big).
    maxPayload: WEBSOCKET_LIMITS.maxMessageBytes,
  });

  const disposable = useServer<
    ConnectionParams | undefined,
    { context?: Context; operations?: Set<string> }
  >(
    {
      // A client that opens a socket and never sends connection_init is
      // closed with 4408 after this long.
      connectionInitWaitTimeout: WEBSOCKET_LIMITS.initTimeoutMs,
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== 'string') {
          return false;
        }
        try {
          const context = await createContext(deps, authorization);
          if (!context.viewer) {
            return false;
          }
          ctx.extra.context = context;
          return true;
        } catch {
          return false;
        }
      },
      async onSubscribe(ctx, id, payload) {
        const operations = (ctx.extra.operations ??= new Set());
        if (!operations.has(id) && operations.size >= WEBSOCKET_LIMITS.maxOperations) {
          const reason = `Too many operations on one connection (limit ${WEBSOCKET_LIMITS.maxOperations})`;
          ctx.extra.socket.close(CLOSE_TOO_MANY_OPERATIONS, reason);
          // graphql-ws accepts only a non-empty array of errors here; an
          // empty one makes it log an "internal error" and try to close the
          // socket a second time, with 4500.
          return [new GraphQLError(reason)];
        }
        operations.add(id);

        const { schema, execute, subscribe, parse, validate, contextFactory } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          // Each subscription gets loaders of its own.
          contextValue: {
            ...(await contextFactory()),
            ...ctx.extra.context,
            loaders: createLoaders(deps.db.prisma),
          },
          rootValue: { execute, subscribe },
        };

        const errors = validate(args.schema, args.document);
        if (errors.length) {
          return errors;
        }
        return args;
      },
      onComplete(ctx, id) {
        ctx.extra.operations?.delete(id);
      },
      execute: (args) =>
        (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) =>
        (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
    },
    wsServer,
    WEBSOCKET_LIMITS.keepAliveMs,
  );

  wsServer.on('error', (error) => log.error({ err: error }, 'WebSocket server error'));

  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
