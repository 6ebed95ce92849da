import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';

import { createTokenVerifier, type TokenVerifier } from './auth/tokens';
import type { Config } from './config';
import type { Context } from './context';
import { openDatabase, type Database } from './db/database';
import { createLocalEventBus, type EventBus } from './events/bus';
import { LogTailer } from './events/log-tailer';
import { createRedisEventBus } from './events/redis-bus';
import { createContext, type ContextDeps } from './http/context';
import { createErrorMasker } from './http/mask-error';
import { useOperationLog } from './http/use-operation-log';
import { useRequireViewer } from './http/use-require-viewer';
import { attachWebSocket } from './http/websocket';
import type { Logger } from './logger';
import { schema } from './schema';
import { seedDemoData } from './seed/demo';
import type { RequestDeps } from './services/requests/deps';
import { startWorkers, type Workers } from './workers';

export interface ServerOptions {
  config: Config;
  log: Logger;
  /** Run PGlite in memory instead of under DATA_DIR (tests). */
  inMemoryDatabase?: boolean;
}

export interface SelfServiceServer {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Yoga's server context is empty here
  yoga: YogaServerInstance<{}, Context>;
  db: Database;
  verifier: TokenVerifier;
  bus: EventBus;
  requestDeps: RequestDeps;
  /** Listens on config.host and config.port (0 picks a free port); returns the GraphQL URL. */
  start(): Promise<string>;
  /** Stops accepting, drains for up to `drainMs`, closes sockets (1001) and the database. */
  stop(drainMs?: number): Promise<void>;
}

/**
 * Builds the whole server (database with migrations applied, schema, HTTP,
 * WebSocket) without listening. Only the entry point and tests call start().
 */
export async function createServer(options: ServerOptions): Promise<SelfServiceServer> {
  const { config, log } = options;
  const verifier = createTokenVerifier(config);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    inMemory: options.inMemoryDatabase,
    log,
  });

  if (config.seedDemo) {
    await seedDemoData(db.prisma, log);
  }

  const bus = config.redisUrl ? createRedisEventBus(config.redisUrl, log) : createLocalEventBus();
  const tailer = new LogTailer(db.logReader, bus, log);
  await tailer.start();
  let workers: Workers | undefined;
  const announce = (eventIds: bigint[]): void => {
    if (eventIds.length === 0) {
      return;
    }
    bus.publish(eventIds.reduce((max, id) => (id > max ? id : max)));
    workers?.wakeDelivery();
  };
  const requestDeps: RequestDeps = { prisma: db.prisma, config, log, announce };
  const deps: ContextDeps = { config, db, log, verifier, announce, tailer };

  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Yoga's server context is empty here
  const yoga = createYoga<{}, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.production
      ? false
      : {
          title: 'Self Service',
          // No placeholder Authorization header: a fake token would make the
          // schema fetch fail with 401, while introspection alone needs none.
          // GraphiQL opens subscriptions as SSE over GET, which the CSRF
          // plugin below refuses (403) unless this header is present.
          additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' },
        },
    // Yoga's default GraphiQL page loads its script and styles from unpkg.com;
    // this one inlines them, so GraphiQL also works where only the npm
    // registry is reachable (CI, locked-down networks). It is 9 MB of
    // JavaScript, so it is loaded on the first page view, not at start.
    renderGraphiQL: async (options) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    // Yoga reports every error it handles; the error masker already logs
    // the unexpected ones once, with the request id, so Yoga's go to debug.
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.debug(args.map(String).join(' ')),
    },
    maskedErrors: { maskError: createErrorMasker(log, config.production) },
    // WebSocket operations have no HTTP request here: their context was
    // built at connection_init (src/http/websocket.ts) and is merged in there.
    context: ({ request }) =>
      request
        ? createContext(
            deps,
            request.headers.get('authorization'),
            request.headers.get('x-request-id') ?? undefined,
          )
        : ({} as Context),
    plugins: [
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 4_000 },
        costLimit: { maxCost: 20_000 },
        blockFieldSuggestion: { enabled: config.production },
      }),
      useReadinessCheck({
        endpoint: '/ready',
        // Ready only while the database and the event bus (Redis) answer.
        check: async () => (await db.ping()) && (await bus.ping()),
      }),
      useRequireViewer(),
      useOperationLog(),
    ],
  });

  const httpServer: HttpServer = createHttpServer(yoga);
  const ws = attachWebSocket(httpServer, yoga, deps, log);

  return {
    yoga,
    db,
    verifier,
    bus,
    requestDeps,
    async start() {
      workers = startWorkers({ deps: requestDeps, log, smtpUrl: config.smtpUrl });
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => resolve());
      });
      const { port } = httpServer.address() as AddressInfo;

      return `http://${config.host}:${port}${yoga.graphqlEndpoint}`;
    },
    async stop(drainMs = 1_000) {
      // Stop accepting, let requests in flight finish for a moment, and tell
      // every WebSocket client to go away (1001) so it resumes elsewhere with
      // its last cursor. Long-lived SSE streams are cut after the drain.
      const closed = httpServer.listening
        ? new Promise<void>((resolve) => httpServer.close(() => resolve()))
        : Promise.resolve();
      httpServer.closeIdleConnections();
      await workers?.stop();
      await ws.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
      httpServer.closeAllConnections();
      await closed;
      await tailer.stop();
      await bus.close();
      await db.close();
    },
  };
}
