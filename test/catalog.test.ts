import { graphql } from './generated';
import {
  createApp,
  insertPendingRequest,
  rawId,
  requestState,
  signIn,
  unknownId,
  type Person,
} from './support/catalog';
import { ADMIN_EMAIL, DATABASE_KINDS, startTestServer, type TestServer } from './support/server';

const CATALOG_CREATE_APP = graphql(`
  mutation CatalogCreateApp($input: CreateAppIntegrationInput!) {
    createAppIntegration(input: $input) {
      __typename
      ... on CreateAppIntegrationPayload {
        app {
          id
          name
          label
          description
          logoUrl
          launchUrl
          signOnMode
          active
          selfService {
            requestable
            approvalRequired
            requesterNote
          }
          notifyEmails
          approvalSteps {
            id
          }
          notes {
            id
          }
          createdAt
          updatedAt
        }
      }
      ... on Error {
        message
        code
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

const CATALOG_UPDATE_APP = graphql(`
  mutation CatalogUpdateApp($input: UpdateAppIntegrationInput!) {
    updateAppIntegration(input: $input) {
      __typename
      ... on UpdateAppIntegrationPayload {
        app {
          id
          label
          description
          logoUrl
          launchUrl
          active
          notifyEmails
        }
      }
      ... on Error {
        message
        code
      }
      ... on InvalidInputError {
        field
      }
      ... on NotFoundError {
        missingField: field
      }
    }
  }
`);

const CATALOG_CONFIGURE_SELF_SERVICE = graphql(`
  mutation CatalogConfigureSelfService($input: ConfigureAppSelfServiceInput!) {
    configureAppSelfService(input: $input) {
      __typename
      ... on ConfigureAppSelfServicePayload {
        app {
          id
          selfService {
            requestable
            approvalRequired
            requesterNote
          }
        }
      }
      ... on Error {
        message
        code
      }
      ... on InvalidInputError {
        field
      }
      ... on NotFoundError {
        missingField: field
      }
    }
  }
`);

const CATALOG_ADD_NOTE = graphql(`
  mutation CatalogAddNote($input: AddAppNoteInput!) {
    addAppNote(input: $input) {
      __typename
      ... on AddAppNotePayload {
        note {
          id
          kind
          body
          author {
            id
          }
          createdAt
        }
      }
      ... on Error {
        message
        code
      }
      ... on InvalidInputError {
        field
      }
      ... on NotFoundError {
        missingField: field
      }
    }
  }
`);

const CATALOG_APP_NOTES = graphql(`
  query CatalogAppNotes($id: ID!) {
    node(id: $id) {
      ... on AppIntegration {
        notes {
          body
          kind
        }
      }
    }
  }
`);

const CATALOG_AVAILABLE_APPS = graphql(`
  query CatalogAvailableApps($first: Int, $after: String, $search: String) {
    availableApps(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
          label
          notifyEmails
        }
      }
    }
  }
`);

const CATALOG_ALL_APPS = graphql(`
  query CatalogAllApps($first: Int, $after: String, $search: String) {
    appIntegrations(first: $first, after: $after, search: $search) {
      totalCount
      edges {
        node {
          name
          active
          selfService {
            requestable
          }
        }
      }
    }
  }
`);

/** Strings of exactly `length` characters. */
const text = (length: number) => 'x'.repeat(length);

describe.each(DATABASE_KINDS)('app catalog (%s)', (kind) => {
  let server: TestServer;
  let admin: Person;
  let user: Person;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await signIn(server, ADMIN_EMAIL, 'Ada Admin');
    user = await signIn(server, 'uma@example.com', 'Uma User');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const appCount = () => server.server.db.prisma.appIntegration.count();
  const appRow = (id: string) =>
    server.server.db.prisma.appIntegration.findUniqueOrThrow({ where: { id: rawId(id) } });

  describe('createAppIntegration', () => {
    it('adds an app, normalising its name and e-mails', async () => {
      const data = await admin.client.run(CATALOG_CREATE_APP, {
        input: {
          name: '  Sales.Force_1 ',
          label: ' Salesforce ',
          description: 'CRM',
          logoUrl: 'https://example.com/logo.png',
          launchUrl: 'https://example.my.salesforce.com/',
          signOnMode: 'OPENID_CONNECT',
          requestable: true,
          requesterNote: 'Say which team you are in.',
          notifyEmails: ['Ops@Example.com', 'ops@example.com', 'audit@example.com'],
        },
      });

      expect(data.createAppIntegration).toMatchObject({
        __typename: 'CreateAppIntegrationPayload',
        app: {
          name: 'sales.force_1',
          label: 'Salesforce',
          description: 'CRM',
          logoUrl: 'https://example.com/logo.png',
          launchUrl: 'https://example.my.salesforce.com/',
          signOnMode: 'OPENID_CONNECT',
          active: true,
          selfService: {
            requestable: true,
            approvalRequired: true,
            requesterNote: 'Say which team you are in.',
          },
          notifyEmails: ['ops@example.com', 'audit@example.com'],
          approvalSteps: [],
          notes: [],
        },
      });
    });

    it('defaults to SAML, not requestable, approval required', async () => {
      const data = await admin.client.run(CATALOG_CREATE_APP, {
        input: { name: 'defaults', label: 'Defaults' },
      });

      expect(data.createAppIntegration).toMatchObject({
        app: {
          description: null,
          logoUrl: null,
          signOnMode: 'SAML_2_0',
          selfService: { requestable: false, approvalRequired: true, requesterNote: null },
          notifyEmails: [],
        },
      });
    });

    it('refuses a name that is taken, in any case, with CONFLICT', async () => {
      await createApp(admin.client, { name: 'taken' });

      const data = await admin.client.run(CATALOG_CREATE_APP, {
        input: { name: 'TAKEN', label: 'Again' },
      });

      expect(data.createAppIntegration).toMatchObject({
        __typename: 'ConflictError',
        code: 'CONFLICT',
      });
    });

    it.each([
      ['an empty name', { name: '  ' }, 'input.name'],
      ['a name with spaces', { name: 'sales force' }, 'input.name'],
      ['a name starting with "-"', { name: '-crm' }, 'input.name'],
      ['a name over 100 characters', { name: text(101) }, 'input.name'],
      ['an empty label', { label: ' ' }, 'input.label'],
      ['a label over 200 characters', { label: text(201) }, 'input.label'],
      ['a description over 2000 characters', { description: text(2_001) }, 'input.description'],
      ['a logo URL that is no URL', { logoUrl: 'logo.png' }, 'input.logoUrl'],
      ['a launch URL that is not http(s)', { launchUrl: 'ftp://example.com' }, 'input.launchUrl'],
      ['a requester note over 500 characters', { requesterNote: text(501) }, 'input.requesterNote'],
      [
        'a malformed notify e-mail',
        { notifyEmails: ['a@example.com', 'nope'] },
        'input.notifyEmails.1',
      ],
    ])('refuses %s with INVALID_INPUT and creates nothing', async (_case, override, field) => {
      const before = await appCount();

      const data = await admin.client.run(CATALOG_CREATE_APP, {
        input: { name: 'invalid-case', label: 'Invalid', ...override },
      });

      expect(data.createAppIntegration).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field,
      });
      expect(await appCount()).toBe(before);
    });

    it('accepts a name of exactly 100 characters and a note of exactly 500', async () => {
      const data = await admin.client.run(CATALOG_CREATE_APP, {
        input: { name: text(100), label: 'Long', requesterNote: text(500) },
      });

      expect(data.createAppIntegration.__typename).toBe('CreateAppIntegrationPayload');
    });

    it('refuses a non-administrator with FORBIDDEN and creates nothing', async () => {
      const before = await appCount();

      const data = await user.client.run(CATALOG_CREATE_APP, {
        input: { name: 'sneaky', label: 'Sneaky' },
      });

      expect(data.createAppIntegration).toMatchObject({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
      });
      expect(await appCount()).toBe(before);
    });
  });

  describe('updateAppIntegration', () => {
    it('changes the fields given, keeps the rest, and clears explicit nulls', async () => {
      const app = await createApp(admin.client, {
        name: 'update-me',
        description: 'Old',
        logoUrl: 'https://example.com/a.png',
        launchUrl: 'https://example.com/',
        notifyEmails: ['one@example.com'],
      });

      const data = await admin.client.run(CATALOG_UPDATE_APP, {
        input: {
          appId: app.id,
          label: 'Renamed',
          logoUrl: null,
          notifyEmails: ['Two@example.com'],
        },
      });

      expect(data.updateAppIntegration).toEqual({
        __typename: 'UpdateAppIntegrationPayload',
        app: {
          id: app.id,
          label: 'Renamed',
          description: 'Old',
          logoUrl: null,
          launchUrl: 'https://example.com/',
          active: true,
          notifyEmails: ['two@example.com'],
        },
      });
    });

    it.each([
      ['an empty label', { label: '' }, 'input.label'],
      ['a description over 2000 characters', { description: text(2_001) }, 'input.description'],
      ['a bad launch URL', { launchUrl: 'javascript:alert(1)' }, 'input.launchUrl'],
      ['a malformed notify e-mail', { notifyEmails: ['x'] }, 'input.notifyEmails.0'],
    ])('refuses %s with INVALID_INPUT and changes nothing', async (_case, override, field) => {
      const app = await createApp(admin.client, { name: `update-invalid-${field}` });
      const before = await appRow(app.id);

      const data = await admin.client.run(CATALOG_UPDATE_APP, {
        input: { appId: app.id, active: false, ...override },
      });

      expect(data.updateAppIntegration).toMatchObject({ code: 'INVALID_INPUT', field });
      expect(await appRow(app.id)).toEqual(before);
    });

    it('refuses a wrong-type ID with INVALID_INPUT and an unknown app with NOT_FOUND', async () => {
      const wrongType = await admin.client.run(CATALOG_UPDATE_APP, {
        input: { appId: user.id, label: 'X' },
      });
      const unknown = await admin.client.run(CATALOG_UPDATE_APP, {
        input: { appId: unknownId('AppIntegration'), label: 'X' },
      });

      expect(wrongType.updateAppIntegration).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.appId',
      });
      expect(unknown.updateAppIntegration).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        missingField: 'input.appId',
      });
    });

    it('refuses a non-administrator with FORBIDDEN and changes nothing', async () => {
      const app = await createApp(admin.client, { name: 'update-forbidden' });
      const before = await appRow(app.id);

      const data = await user.client.run(CATALOG_UPDATE_APP, {
        input: { appId: app.id, active: false, label: 'Mine now' },
      });

      expect(data.updateAppIntegration).toMatchObject({ code: 'FORBIDDEN' });
      expect(await appRow(app.id)).toEqual(before);
    });

    it('ends pending requests when the app is deactivated, and only then', async () => {
      const app = await createApp(admin.client, { name: 'deactivate-me', label: 'Jira' });
      const requestId = await insertPendingRequest(server, app.rawId, user.rawId);

      await admin.client.run(CATALOG_UPDATE_APP, { input: { appId: app.id, label: 'Jira' } });
      const afterRelabel = await requestState(server, requestId);
      const data = await admin.client.run(CATALOG_UPDATE_APP, {
        input: { appId: app.id, active: false },
      });

      expect(afterRelabel.status).toBe('PENDING');
      expect(data.updateAppIntegration).toMatchObject({ app: { active: false } });
      expect(await requestState(server, requestId)).toEqual({
        status: 'CANCELLED',
        endReason: 'Access requests for Jira were closed: the app was deactivated.',
        events: [{ type: 'CANCELLED', actorId: admin.rawId }],
      });
    });
  });

  describe('configureAppSelfService', () => {
    it('changes only the settings given', async () => {
      const app = await createApp(admin.client, { name: 'configure-me', requestable: false });

      const first = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requestable: true, requesterNote: 'Tell us why.' },
      });
      const second = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, approvalRequired: false },
      });
      const third = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requesterNote: null },
      });

      expect(first.configureAppSelfService).toMatchObject({
        app: {
          selfService: { requestable: true, approvalRequired: true, requesterNote: 'Tell us why.' },
        },
      });
      expect(second.configureAppSelfService).toMatchObject({
        app: {
          selfService: {
            requestable: true,
            approvalRequired: false,
            requesterNote: 'Tell us why.',
          },
        },
      });
      expect(third.configureAppSelfService).toMatchObject({
        app: { selfService: { requestable: true, approvalRequired: false, requesterNote: null } },
      });
    });

    it('refuses an over-long requester note with INVALID_INPUT and changes nothing', async () => {
      const app = await createApp(admin.client, { name: 'configure-invalid' });
      const before = await appRow(app.id);

      const data = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requestable: false, requesterNote: text(501) },
      });

      expect(data.configureAppSelfService).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'input.requesterNote',
      });
      expect(await appRow(app.id)).toEqual(before);
    });

    it('refuses an unknown app with NOT_FOUND and a malformed ID with INVALID_INPUT', async () => {
      const unknown = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: unknownId('AppIntegration'), requestable: true },
      });
      const malformed = await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: 'not-an-id', requestable: true },
      });

      expect(unknown.configureAppSelfService).toMatchObject({
        code: 'NOT_FOUND',
        missingField: 'input.appId',
      });
      expect(malformed.configureAppSelfService).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'input.appId',
      });
    });

    it('refuses a non-administrator with FORBIDDEN and changes nothing', async () => {
      const app = await createApp(admin.client, { name: 'configure-forbidden' });
      const before = await appRow(app.id);

      const data = await user.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requestable: false },
      });

      expect(data.configureAppSelfService).toMatchObject({ code: 'FORBIDDEN' });
      expect(await appRow(app.id)).toEqual(before);
    });

    it('ends pending requests when the app stops being requestable', async () => {
      const app = await createApp(admin.client, { name: 'stop-requests', label: 'Salesforce' });
      const requestId = await insertPendingRequest(server, app.rawId, user.rawId);

      await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requestable: false },
      });

      expect(await requestState(server, requestId)).toEqual({
        status: 'CANCELLED',
        endReason: 'Access requests for Salesforce were closed: the app is no longer requestable.',
        events: [{ type: 'CANCELLED', actorId: admin.rawId }],
      });
    });

    it('ends pending requests when approval is switched off', async () => {
      const app = await createApp(admin.client, { name: 'no-approval', label: 'Figma' });
      const requestId = await insertPendingRequest(server, app.rawId, user.rawId);

      await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, approvalRequired: false },
      });
      const state = await requestState(server, requestId);

      expect(state.status).toBe('CANCELLED');
      expect(state.endReason).toBe(
        'Access requests for Figma were closed: the app no longer needs approval, ' +
          'so requesting it again grants it at once.',
      );
      expect(state.events).toEqual([{ type: 'CANCELLED', actorId: admin.rawId }]);
    });

    it('leaves pending requests alone when nothing is switched off', async () => {
      const app = await createApp(admin.client, { name: 'keep-requests', approvalRequired: false });
      const requestId = await insertPendingRequest(server, app.rawId, user.rawId);

      await admin.client.run(CATALOG_CONFIGURE_SELF_SERVICE, {
        input: { appId: app.id, requestable: true, approvalRequired: true, requesterNote: 'Hi' },
      });

      expect(await requestState(server, requestId)).toEqual({
        status: 'PENDING',
        endReason: null,
        events: [],
      });
    });
  });

  describe('addAppNote', () => {
    it('adds notes signed by the viewer, newest first on the app', async () => {
      const app = await createApp(admin.client, { name: 'noted' });

      const note = await admin.client.run(CATALOG_ADD_NOTE, {
        input: { appId: app.id, body: ' First ' },
      });
      const comment = await admin.client.run(CATALOG_ADD_NOTE, {
        input: { appId: app.id, body: 'Second', kind: 'COMMENT' },
      });
      const listed = await user.client.run(CATALOG_APP_NOTES, { id: app.id });

      expect(note.addAppNote).toMatchObject({
        __typename: 'AddAppNotePayload',
        note: { kind: 'NOTE', body: 'First', author: { id: admin.id } },
      });
      expect(comment.addAppNote).toMatchObject({ note: { kind: 'COMMENT', body: 'Second' } });
      expect(listed.node).toEqual({
        notes: [
          { body: 'Second', kind: 'COMMENT' },
          { body: 'First', kind: 'NOTE' },
        ],
      });
    });

    it.each([
      ['an empty body', '  '],
      ['a body over 2000 characters', text(2_001)],
    ])('refuses %s with INVALID_INPUT and adds nothing', async (_case, body) => {
      const app = await createApp(admin.client, { name: `note-invalid-${body.length}` });

      const data = await admin.client.run(CATALOG_ADD_NOTE, { input: { appId: app.id, body } });

      expect(data.addAppNote).toMatchObject({ code: 'INVALID_INPUT', field: 'input.body' });
      expect(await server.server.db.prisma.appNote.count({ where: { appId: app.rawId } })).toBe(0);
    });

    it('refuses an unknown app with NOT_FOUND', async () => {
      const data = await admin.client.run(CATALOG_ADD_NOTE, {
        input: { appId: unknownId('AppIntegration'), body: 'Hello' },
      });

      expect(data.addAppNote).toMatchObject({ code: 'NOT_FOUND', missingField: 'input.appId' });
    });

    it('refuses a non-administrator with FORBIDDEN and adds nothing', async () => {
      const app = await createApp(admin.client, { name: 'note-forbidden' });

      const data = await user.client.run(CATALOG_ADD_NOTE, {
        input: { appId: app.id, body: 'Hello' },
      });

      expect(data.addAppNote).toMatchObject({ code: 'FORBIDDEN' });
      expect(await server.server.db.prisma.appNote.count({ where: { appId: app.rawId } })).toBe(0);
    });
  });

  describe('availableApps and appIntegrations', () => {
    // Every app here carries "listkey" so that searches ignore the other tests' apps.
    beforeAll(async () => {
      const apps = [
        { name: 'list-gamma', label: 'Listed Gamma' },
        { name: 'list-beta-2', label: 'Listed Beta' },
        { name: 'list-alpha', label: 'Listed Alpha', notifyEmails: ['ops@example.com'] },
        { name: 'list-beta-1', label: 'Listed Beta' },
        { name: 'list-delta', label: 'Listed Delta', description: 'Uses the ListKey' },
        { name: 'list-hidden', label: 'Listed Hidden', requestable: false },
      ];
      for (const app of apps) {
        await createApp(admin.client, { description: 'listkey', ...app });
      }
      const { id } = await createApp(admin.client, {
        name: 'list-retired',
        label: 'Listed Retired',
        description: 'listkey',
      });
      await admin.client.run(CATALOG_UPDATE_APP, { input: { appId: id, active: false } });
    });

    it('lists active, requestable apps by label then id, with totalCount', async () => {
      const data = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'LISTKEY' });
      const connection = data.availableApps;
      const [beta1, beta2] = ['list-beta-1', 'list-beta-2'].map((name) =>
        connection.edges.find((edge) => edge.node.name === name),
      );
      const betas = rawId(beta1!.node.id) < rawId(beta2!.node.id) ? [beta1, beta2] : [beta2, beta1];

      expect(connection.totalCount).toBe(5);
      expect(connection.edges.map((edge) => edge.node.label)).toEqual([
        'Listed Alpha',
        'Listed Beta',
        'Listed Beta',
        'Listed Delta',
        'Listed Gamma',
      ]);
      expect(connection.edges.slice(1, 3)).toEqual(betas);
    });

    it('searches name, label and description in any case', async () => {
      const byName = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'LIST-GAM' });
      const byLabel = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'listed alpha' });
      const byDescription = await user.client.run(CATALOG_AVAILABLE_APPS, {
        search: 'the listkey',
      });

      expect(byName.availableApps.edges.map((edge) => edge.node.name)).toEqual(['list-gamma']);
      expect(byLabel.availableApps.edges.map((edge) => edge.node.name)).toEqual(['list-alpha']);
      expect(byDescription.availableApps.edges.map((edge) => edge.node.name)).toEqual([
        'list-delta',
      ]);
    });

    it('pages with first and after', async () => {
      const first = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'listkey', first: 2 });
      const second = await user.client.run(CATALOG_AVAILABLE_APPS, {
        search: 'listkey',
        first: 2,
        after: first.availableApps.pageInfo.endCursor,
      });
      const last = await user.client.run(CATALOG_AVAILABLE_APPS, {
        search: 'listkey',
        first: 2,
        after: second.availableApps.pageInfo.endCursor,
      });
      const labels = [first, second, last].map((page) =>
        page.availableApps.edges.map((edge) => edge.node.label),
      );

      expect(labels).toEqual([
        ['Listed Alpha', 'Listed Beta'],
        ['Listed Beta', 'Listed Delta'],
        ['Listed Gamma'],
      ]);
      expect(first.availableApps).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
      expect(last.availableApps.pageInfo.hasNextPage).toBe(false);
    });

    it('shows notify e-mails to administrators only', async () => {
      const asUser = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'listed alpha' });
      const asAdmin = await admin.client.run(CATALOG_AVAILABLE_APPS, { search: 'listed alpha' });

      expect(asUser.availableApps.edges[0]?.node.notifyEmails).toEqual([]);
      expect(asAdmin.availableApps.edges[0]?.node.notifyEmails).toEqual(['ops@example.com']);
    });

    it('is empty while the org has switched app requests off', async () => {
      const { prisma } = server.server.db;
      await prisma.orgSettings.update({
        where: { id: 1 },
        data: { userAppRequestsEnabled: false },
      });
      try {
        const data = await user.client.run(CATALOG_AVAILABLE_APPS, { search: 'listkey' });

        expect(data.availableApps).toEqual({
          totalCount: 0,
          pageInfo: { hasNextPage: false, endCursor: null },
          edges: [],
        });
      } finally {
        await prisma.orgSettings.update({
          where: { id: 1 },
          data: { userAppRequestsEnabled: true },
        });
      }
    });

    it('lists every app to administrators, inactive and unrequestable ones too', async () => {
      const data = await admin.client.run(CATALOG_ALL_APPS, { search: 'listkey' });

      expect(data.appIntegrations.totalCount).toBe(7);
      expect(data.appIntegrations.edges.map((edge) => edge.node)).toEqual([
        { name: 'list-alpha', active: true, selfService: { requestable: true } },
        expect.objectContaining({ name: expect.stringMatching(/^list-beta-/) }),
        expect.objectContaining({ name: expect.stringMatching(/^list-beta-/) }),
        { name: 'list-delta', active: true, selfService: { requestable: true } },
        { name: 'list-gamma', active: true, selfService: { requestable: true } },
        { name: 'list-hidden', active: true, selfService: { requestable: false } },
        { name: 'list-retired', active: false, selfService: { requestable: true } },
      ]);
    });

    it('refuses appIntegrations to non-administrators with FORBIDDEN', async () => {
      const { body } = await user.client.raw(CATALOG_ALL_APPS, {});

      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('refuses an over-long search with INVALID_INPUT', async () => {
      const { body } = await user.client.raw(CATALOG_AVAILABLE_APPS, { search: text(201) });

      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'search',
      });
    });
  });
});
