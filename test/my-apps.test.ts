import { encodeGlobalID } from '@pothos/plugin-relay';

import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

const MY_APPS = graphql(`
  query MyAppsDashboard {
    myApps {
      id
      source
      assignedAt
      provisioningStatus
      externalId
      lastError
      app {
        name
        label
      }
      user {
        email
      }
    }
  }
`);

const NODE = graphql(`
  query MyAppsNode($id: ID!) {
    node(id: $id) {
      __typename
      ... on AppAssignment {
        source
      }
    }
  }
`);

const VIEWER = graphql(`
  query MyAppsViewer {
    viewer {
      id
    }
  }
`);

describe.each(DATABASE_KINDS)('myApps (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Signs someone in (creating them) and returns a client and their database id. */
  async function signIn(email: string) {
    const client = clientFor(server, await server.token(email));
    await client.run(VIEWER);
    const user = await server.server.db.prisma.user.findUniqueOrThrow({ where: { email } });

    return { client, rawId: user.id };
  }

  // The request flow that assigns apps is tested elsewhere; here the rows
  // only need to exist, so they are written straight to the database.
  async function createApp(name: string, label: string): Promise<string> {
    const app = await server.server.db.prisma.appIntegration.create({ data: { name, label } });

    return app.id;
  }

  it("lists the viewer's assignments by the app's label, with provisioning state", async () => {
    const ann = await signIn('myapps.ann@example.com');
    const bob = await signIn('myapps.bob@example.com');
    const zoom = await createApp('myapps-zoom', 'Zoom');
    const asana = await createApp('myapps-asana', 'Asana');
    const miro = await createApp('myapps-miro', 'Miro');
    const prisma = server.server.db.prisma;
    await prisma.appAssignment.createMany({
      data: [
        { appId: zoom, userId: ann.rawId, source: 'APPROVED_REQUEST' },
        {
          appId: asana,
          userId: ann.rawId,
          source: 'ADMIN',
          provisioningStatus: 'FAILED',
          lastError: 'SCIM answered 409',
        },
        {
          appId: miro,
          userId: ann.rawId,
          source: 'SELF_SERVICE',
          provisioningStatus: 'PROVISIONED',
          externalId: 'ext-42',
        },
        { appId: zoom, userId: bob.rawId, source: 'ADMIN_OVERRIDE' },
      ],
    });

    const data = await ann.client.run(MY_APPS);

    expect(data.myApps.map((assignment) => assignment.app.label)).toEqual([
      'Asana',
      'Miro',
      'Zoom',
    ]);
    expect(data.myApps).toEqual([
      {
        id: expect.any(String),
        source: 'ADMIN',
        assignedAt: expect.any(String),
        provisioningStatus: 'FAILED',
        externalId: null,
        lastError: 'SCIM answered 409',
        app: { name: 'myapps-asana', label: 'Asana' },
        user: { email: 'myapps.ann@example.com' },
      },
      expect.objectContaining({
        source: 'SELF_SERVICE',
        provisioningStatus: 'PROVISIONED',
        externalId: 'ext-42',
      }),
      expect.objectContaining({ source: 'APPROVED_REQUEST', provisioningStatus: 'NOT_REQUIRED' }),
    ]);
  });

  it('is empty for someone with no apps', async () => {
    const cy = await signIn('myapps.cy@example.com');

    const data = await cy.client.run(MY_APPS);

    expect(data.myApps).toEqual([]);
  });

  it('shows an assignment through node(id:) to its user and administrators only', async () => {
    const dee = await signIn('myapps.dee@example.com');
    const eve = await signIn('myapps.eve@example.com');
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));
    const app = await createApp('myapps-jira', 'Jira');
    const assignment = await server.server.db.prisma.appAssignment.create({
      data: { appId: app, userId: dee.rawId, source: 'ADMIN' },
    });
    const id = encodeGlobalID('AppAssignment', assignment.id);

    const own = await dee.client.raw(NODE, { id });
    const byAdmin = await admin.raw(NODE, { id });
    const stranger = await eve.client.raw(NODE, { id });

    expect(own.body.data?.node).toEqual({ __typename: 'AppAssignment', source: 'ADMIN' });
    expect(byAdmin.body.data?.node).toEqual({ __typename: 'AppAssignment', source: 'ADMIN' });
    expect(stranger.body).toEqual({ data: { node: null } });
  });
});
