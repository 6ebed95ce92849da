import { randomUUID } from 'node:crypto';

import { createGraphQLError } from 'graphql-yoga';

import type { Config } from '../config';
import type { Context } from '../context';
import type { Database } from '../db/database';
import type { LogTailer } from '../events/log-tailer';
import type { Logger } from '../logger';
import { InvalidTokenError, parseBearer, type TokenVerifier } from '../auth/tokens';
import { createLoaders } from '../schema/loaders';
import { resolveViewer } from '../services/users';

export interface ContextDeps {
  config: Config;
  db: Database;
  log: Logger;
  verifier: TokenVerifier;
  announce(eventIds: bigint[]): void;
  tailer: LogTailer;
}

export function unauthenticated(message: string): Error {
  return createGraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * Builds the context of one operation from its Authorization value (an HTTP
 * header, or the `authorization` field of a WebSocket `connection_init`).
 * A bad token fails the operation; a missing one leaves `viewer` null, which
 * only introspection accepts (see use-require-viewer.ts).
 */
export async function createContext(
  deps: ContextDeps,
  authorization: string | null | undefined,
  requestId: string = randomUUID(),
): Promise<Context> {
  const log = deps.log.child({ requestId });
  let viewer: Context['viewer'] = null;

  if (authorization) {
    const token = parseBearer(authorization);
    if (!token) {
      throw unauthenticated('the Authorization value must be "Bearer <token>"');
    }
    try {
      const identity = await deps.verifier.verify(token);
      viewer = await resolveViewer(deps.db.prisma, identity, deps.config.adminEmails);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw unauthenticated(`invalid bearer token: ${error.message}`);
      }
      throw error;
    }
  }

  return {
    config: deps.config,
    db: deps.db,
    prisma: deps.db.prisma,
    viewer,
    requestId,
    log: viewer ? log.child({ userId: viewer.id }) : log,
    loaders: createLoaders(deps.db.prisma),
    announce: deps.announce,
    tailer: deps.tailer,
  };
}
