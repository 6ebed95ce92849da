import type { Server as HttpServer } from 'node:http';

import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

import type { Context } from '../context';
import type { Logger } from '../logger';
import { createContext, type ContextDeps } from './context';

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
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });

  const disposable = useServer<ConnectionParams | undefined, { context?: Context }>(
    {
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
      async onSubscribe(ctx, _id, payload) {
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
          contextValue: { ...(await contextFactory()), ...ctx.extra.context },
          rootValue: { execute, subscribe },
        };

        const errors = validate(args.schema, args.document);
        if (errors.length) {
          return errors;
        }
        return args;
      },
      execute: (args) =>
        (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) =>
        (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
    },
    wsServer,
  );

  wsServer.on('error', (error) => log.error({ err: error }, 'WebSocket server error'));

  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
