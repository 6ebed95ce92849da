import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import { graphql } from '../generated';
import type { CreateAppIntegrationInput } from '../generated/graphql';
import { clientFor, type TestServer } from './server';

/*
 * Fixtures shared by the catalog suites: apps made through the API, people
 * signed in by token, and pending requests written straight to the database
 * (the request flow is tested elsewhere; here they only need to exist).
 */

export type Client = ReturnType<typeof clientFor>;

/** Someone signed in, with their global and database ids. */
export interface Person {
  client: Client;
  id: string;
  rawId: string;
}

const CATALOG_FIXTURE_VIEWER = graphql(`
  query CatalogFixtureViewer {
    viewer {
      id
    }
  }
`);

const CATALOG_FIXTURE_CREATE_APP = graphql(`
  mutation CatalogFixtureCreateApp($input: CreateAppIntegrationInput!) {
    createAppIntegration(input: $input) {
      __typename
      ... on CreateAppIntegrationPayload {
        app {
          id
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** The database id inside a global ID. */
export function rawId(globalId: string): string {
  return decodeGlobalID(globalId).id;
}

/** A well-formed global ID of `typename` that names nothing. */
export function unknownId(typename: string): string {
  return encodeGlobalID(typename, '00000000-0000-4000-8000-000000000000');
}

export async function signIn(server: TestServer, email: string, name?: string): Promise<Person> {
  const client = clientFor(server, await server.token(email, name));
  const { viewer } = await client.run(CATALOG_FIXTURE_VIEWER);

  return { client, id: viewer.id, rawId: rawId(viewer.id) };
}

/** Creates a group directly (groups have their own suite); returns its global ID. */
export async function createGroup(server: TestServer, name: string): Promise<string> {
  const group = await server.server.db.prisma.group.create({ data: { name } });

  return encodeGlobalID('Group', group.id);
}

/** Creates an app through the API, requestable unless `input` says otherwise. */
export async function createApp(
  admin: Client,
  input: Partial<CreateAppIntegrationInput> & { name: string },
): Promise<{ id: string; rawId: string }> {
  const { createAppIntegration: result } = await admin.run(CATALOG_FIXTURE_CREATE_APP, {
    input: { label: input.name, requestable: true, ...input },
  });
  if (result.__typename !== 'CreateAppIntegrationPayload') {
    throw new Error(`createAppIntegration failed: ${JSON.stringify(result)}`);
  }

  return { id: result.app.id, rawId: rawId(result.app.id) };
}

/** Writes a request waiting at step 1, as if `requesterId` had just asked for the app. */
export async function insertPendingRequest(
  server: TestServer,
  appId: string,
  requesterId: string,
): Promise<string> {
  const request = await server.server.db.prisma.appRequest.create({
    data: { appId, requesterId, status: 'PENDING', currentPosition: 1, stepStartedAt: new Date() },
  });

  return request.id;
}

/** The request's status and end reason, and the types of its events. */
export async function requestState(server: TestServer, requestId: string) {
  const { prisma } = server.server.db;
  const request = await prisma.appRequest.findUniqueOrThrow({ where: { id: requestId } });
  // Only these columns: the PGlite adapter cannot read the uuid[] audience column back.
  const events = await prisma.requestEvent.findMany({
    where: { requestId },
    orderBy: { id: 'asc' },
    select: { type: true, actorId: true },
  });

  return {
    status: request.status,
    endReason: request.endReason,
    events: events.map((event) => ({ type: event.type, actorId: event.actorId })),
  };
}
