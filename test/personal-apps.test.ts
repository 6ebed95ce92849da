import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { encodeGlobalID } from '@pothos/plugin-relay';

import { normalizeAppName, normalizeAppUrl } from '../src/services/personal-apps';
import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

const ADD_APP = graphql(`
  mutation PersonalAdd($input: AddPersonalAppInput!) {
    addPersonalApp(input: $input) {
      __typename
      ... on AddPersonalAppPayload {
        personalApp {
          id
          name
          url
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
    }
  }
`);

const REMOVE_APP = graphql(`
  mutation PersonalRemove($input: RemovePersonalAppInput!) {
    removePersonalApp(input: $input) {
      __typename
      ... on RemovePersonalAppPayload {
        personalApp {
          id
          name
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
        notFoundField: field
      }
    }
  }
`);

const MY_APPS = graphql(`
  query PersonalMine {
    myPersonalApps {
      id
      name
      url
    }
  }
`);

const NODE = graphql(`
  query PersonalNode($id: ID!) {
    node(id: $id) {
      __typename
      ... on PersonalApp {
        name
      }
    }
  }
`);

const USER_ADDED = graphql(`
  query PersonalUserAdded($first: Int, $after: String) {
    userAddedApplications(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          name
          url
          userCount
        }
      }
    }
  }
`);

describe('normalizing personal apps', () => {
  it('folds the name to lower case and single spaces', () => {
    expect(normalizeAppName('  My \t Wiki\nPage ')).toBe('my wiki page');
  });

  it('keeps what identifies the page and drops what does not', () => {
    expect(normalizeAppUrl('HTTPS://Tools.Example.COM:443/Wiki/Home/?Page=A#top')).toBe(
      'https://tools.example.com/Wiki/Home?Page=A',
    );
    expect(normalizeAppUrl('http://example.com:80/')).toBe('http://example.com');
    expect(normalizeAppUrl('http://example.com:8080/a//')).toBe('http://example.com:8080/a');
  });
});

describe.each(DATABASE_KINDS)('personal apps (%s)', (kind) => {
  let server: TestServer;
  let admin: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = clientFor(server, await server.token(ADMIN_EMAIL));
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function userClient(email: string) {
    return clientFor(server, await server.token(email));
  }

  async function add(client: ReturnType<typeof clientFor>, name: string, url: string) {
    const data = await client.run(ADD_APP, { input: { name, url } });
    if (data.addPersonalApp.__typename !== 'AddPersonalAppPayload') {
      throw new Error(`addPersonalApp failed: ${JSON.stringify(data.addPersonalApp)}`);
    }

    return data.addPersonalApp.personalApp;
  }

  async function setAllowPersonalApps(allow: boolean): Promise<void> {
    await server.server.db.prisma.orgSettings.update({
      where: { id: 1 },
      data: { allowPersonalApps: allow },
    });
  }

  it("adds apps and lists only the viewer's own, newest first", async () => {
    const ann = await userClient('personal.ann@example.com');
    const bob = await userClient('personal.bob@example.com');

    const wiki = await add(ann, ' Team  Wiki ', 'https://Wiki.Example.com/Team/');
    await sleep(5);
    await add(ann, 'Board', 'https://board.example.com');
    await add(bob, "Bob's tool", 'https://bob.example.com');

    const mine = await ann.run(MY_APPS);
    const stored = await server.server.db.prisma.personalApp.findFirstOrThrow({
      where: { name: 'Team  Wiki' },
    });

    // The URL scalar prints URLs in their canonical form (lower-case host).
    expect(wiki).toMatchObject({ name: 'Team  Wiki', url: 'https://wiki.example.com/Team/' });
    expect(mine.myPersonalApps.map((app) => app.name)).toEqual(['Board', 'Team  Wiki']);
    expect(stored).toMatchObject({
      normalizedName: 'team wiki',
      normalizedUrl: 'https://wiki.example.com/Team',
    });
  });

  it('refuses the same normalized URL twice for one user with CONFLICT, not across users', async () => {
    const carol = await userClient('personal.carol@example.com');
    const dave = await userClient('personal.dave@example.com');
    await add(carol, 'Docs', 'https://docs.example.com/guide');

    const again = await carol.run(ADD_APP, {
      input: { name: 'Docs again', url: 'HTTPS://DOCS.example.com:443/guide/#intro' },
    });
    const other = await dave.run(ADD_APP, {
      input: { name: 'Docs', url: 'https://docs.example.com/guide' },
    });

    expect(again.addPersonalApp).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(other.addPersonalApp).toMatchObject({ __typename: 'AddPersonalAppPayload' });
  });

  it('refuses a bad name or URL with INVALID_INPUT naming the field', async () => {
    const erin = await userClient('personal.erin@example.com');

    const cases = [
      { input: { name: ' ', url: 'https://a.example.com' }, field: 'input.name' },
      { input: { name: 'x'.repeat(101), url: 'https://a.example.com' }, field: 'input.name' },
      { input: { name: 'A', url: 'not a url' }, field: 'input.url' },
      { input: { name: 'A', url: 'javascript:alert(1)' }, field: 'input.url' },
    ];
    for (const { input, field } of cases) {
      const data = await erin.run(ADD_APP, { input });

      expect(data.addPersonalApp).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field,
      });
    }
    expect((await erin.run(MY_APPS)).myPersonalApps).toEqual([]);
  });

  it("removes the viewer's own app", async () => {
    const fay = await userClient('personal.fay@example.com');
    const app = await add(fay, 'Calendar', 'https://calendar.example.com');

    const data = await fay.run(REMOVE_APP, { input: { id: app.id } });

    expect(data.removePersonalApp).toEqual({
      __typename: 'RemovePersonalAppPayload',
      personalApp: { id: app.id, name: 'Calendar' },
    });
    expect((await fay.run(MY_APPS)).myPersonalApps).toEqual([]);
  });

  it("answers NOT_FOUND for someone else's app and keeps it", async () => {
    const gil = await userClient('personal.gil@example.com');
    const hal = await userClient('personal.hal@example.com');
    const app = await add(gil, 'Private', 'https://private.example.com');

    const data = await hal.run(REMOVE_APP, { input: { id: app.id } });

    expect(data.removePersonalApp).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      notFoundField: 'input.id',
    });
    expect((await gil.run(MY_APPS)).myPersonalApps).toHaveLength(1);
  });

  it('refuses an ID of another type with INVALID_INPUT', async () => {
    const ida = await userClient('personal.ida@example.com');
    const userId = encodeGlobalID('User', randomUUID());

    const data = await ida.run(REMOVE_APP, { input: { id: userId } });

    expect(data.removePersonalApp).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.id',
    });
  });

  it('shows an app through node(id:) to its owner and administrators only', async () => {
    const jan = await userClient('personal.jan@example.com');
    const kim = await userClient('personal.kim@example.com');
    const app = await add(jan, 'Secret Tool', 'https://secret.example.com');
    const missing = encodeGlobalID('PersonalApp', randomUUID());

    const owner = await jan.raw(NODE, { id: app.id });
    const byAdmin = await admin.raw(NODE, { id: app.id });
    const stranger = await kim.raw(NODE, { id: app.id });

    expect(owner.body.data?.node).toEqual({ __typename: 'PersonalApp', name: 'Secret Tool' });
    expect(byAdmin.body.data?.node).toEqual({ __typename: 'PersonalApp', name: 'Secret Tool' });
    // Exactly what an ID that never existed gets: no hint that it does.
    expect(stranger.body).toEqual({ data: { node: null } });
    expect(await kim.raw(NODE, { id: missing })).toMatchObject({ body: { data: { node: null } } });
  });

  describe('while the org turns personal apps off', () => {
    beforeEach(() => setAllowPersonalApps(false));
    afterEach(() => setAllowPersonalApps(true));

    it('refuses adding and removing with DISABLED and the list with a DISABLED error', async () => {
      const lee = await userClient('personal.lee@example.com');
      await setAllowPersonalApps(true);
      const app = await add(lee, 'Kept', 'https://kept.example.com');
      await setAllowPersonalApps(false);

      const added = await lee.run(ADD_APP, {
        input: { name: 'New', url: 'https://new.example.com' },
      });
      const removed = await lee.run(REMOVE_APP, { input: { id: app.id } });
      const listed = await lee.raw(MY_APPS);

      expect(added.addPersonalApp).toMatchObject({ __typename: 'DisabledError', code: 'DISABLED' });
      expect(removed.removePersonalApp).toMatchObject({
        __typename: 'DisabledError',
        code: 'DISABLED',
      });
      expect(listed.body.data).toBeNull();
      expect(listed.body.errors?.[0]?.extensions?.code).toBe('DISABLED');
      expect(
        await server.server.db.prisma.personalApp.count({
          where: { user: { email: 'personal.lee@example.com' } },
        }),
      ).toBe(1);
    });
  });

  describe('userAddedApplications', () => {
    beforeAll(async () => {
      await server.server.db.prisma.personalApp.deleteMany();

      // Three people use the wiki (spelt three ways), two the board, one the CRM.
      const people = await Promise.all(
        ['one', 'two', 'three'].map((name) => userClient(`report.${name}@example.com`)),
      );
      await add(people[0]!, 'wiki', 'https://wiki.example.com/');
      await add(people[1]!, 'Wiki ', 'https://WIKI.example.com');
      await sleep(5);
      await add(people[2]!, 'WIKI', 'https://wiki.example.com#home');
      await add(people[0]!, 'Board', 'https://board.example.com');
      await add(people[1]!, 'board', 'https://board.example.com/');
      await add(people[2]!, 'CRM', 'https://crm.example.com');
    });

    it('groups personal apps by name and URL, most used first, in pages', async () => {
      const first = await admin.run(USER_ADDED, { first: 2 });
      const rest = await admin.run(USER_ADDED, {
        first: 2,
        after: first.userAddedApplications.pageInfo.endCursor,
      });

      expect(first.userAddedApplications).toMatchObject({
        totalCount: 3,
        pageInfo: { hasNextPage: true },
        edges: [
          { node: { name: 'WIKI', url: 'https://wiki.example.com/#home', userCount: 3 } },
          { node: { userCount: 2 } },
        ],
      });
      expect(first.userAddedApplications.edges[1]?.node.name.toLowerCase()).toBe('board');
      expect(rest.userAddedApplications).toMatchObject({
        totalCount: 3,
        pageInfo: { hasNextPage: false },
        edges: [{ node: { name: 'CRM', userCount: 1 } }],
      });
    });

    it('refuses a non-administrator with FORBIDDEN', async () => {
      const user = await userClient('report.one@example.com');

      const { body } = await user.raw(USER_ADDED, {});

      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
