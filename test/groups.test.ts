import { randomUUID } from 'node:crypto';

import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

const CREATE_GROUP = graphql(`
  mutation GroupsCreate($input: CreateGroupInput!) {
    createGroup(input: $input) {
      __typename
      ... on CreateGroupPayload {
        group {
          id
          name
          description
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

const ADD_MEMBER = graphql(`
  mutation GroupsAddMember($input: AddGroupMemberInput!) {
    addGroupMember(input: $input) {
      __typename
      ... on AddGroupMemberPayload {
        group {
          name
          members {
            totalCount
            edges {
              node {
                user {
                  email
                }
              }
            }
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
        notFoundField: field
      }
    }
  }
`);

const REMOVE_MEMBER = graphql(`
  mutation GroupsRemoveMember($input: RemoveGroupMemberInput!) {
    removeGroupMember(input: $input) {
      __typename
      ... on RemoveGroupMemberPayload {
        group {
          members {
            totalCount
          }
        }
      }
      ... on Error {
        message
        code
      }
      ... on NotFoundError {
        notFoundField: field
      }
    }
  }
`);

const GROUPS = graphql(`
  query GroupsList($first: Int, $after: String, $search: String) {
    groups(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          name
        }
      }
    }
  }
`);

const USERS = graphql(`
  query GroupsUsers($first: Int, $after: String, $search: String) {
    users(first: $first, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
        }
      }
    }
  }
`);

const VIEWER = graphql(`
  query GroupsViewer {
    viewer {
      id
      groups {
        name
      }
    }
  }
`);

describe.each(DATABASE_KINDS)('groups (%s)', (kind) => {
  let server: TestServer;
  let admin: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = clientFor(server, await server.token(ADMIN_EMAIL));
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function createGroup(name: string, description?: string): Promise<string> {
    const data = await admin.run(CREATE_GROUP, { input: { name, description } });
    if (data.createGroup.__typename !== 'CreateGroupPayload') {
      throw new Error(`createGroup failed: ${JSON.stringify(data.createGroup)}`);
    }

    return data.createGroup.group.id;
  }

  async function userId(email: string): Promise<string> {
    const user = clientFor(server, await server.token(email));

    return (await user.run(VIEWER)).viewer.id;
  }

  describe('createGroup', () => {
    it('creates a group with a trimmed name', async () => {
      const data = await admin.run(CREATE_GROUP, {
        input: { name: '  Finance ', description: 'Money people' },
      });

      expect(data.createGroup).toMatchObject({
        __typename: 'CreateGroupPayload',
        group: { name: 'Finance', description: 'Money people' },
      });
    });

    it('refuses a name taken in any letter case with CONFLICT', async () => {
      await createGroup('Legal');

      const data = await admin.run(CREATE_GROUP, { input: { name: 'LEGAL' } });

      expect(data.createGroup).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      expect(await server.server.db.prisma.group.count({ where: { name: 'LEGAL' } })).toBe(0);
    });

    it('refuses an empty or over-long name with INVALID_INPUT naming input.name', async () => {
      const empty = await admin.run(CREATE_GROUP, { input: { name: '   ' } });
      const long = await admin.run(CREATE_GROUP, { input: { name: 'x'.repeat(101) } });

      for (const data of [empty, long]) {
        expect(data.createGroup).toMatchObject({
          __typename: 'InvalidInputError',
          code: 'INVALID_INPUT',
          field: 'input.name',
        });
      }
    });

    it('refuses a non-administrator with FORBIDDEN and creates nothing', async () => {
      const user = clientFor(server, await server.token('groups.plain@example.com'));

      const data = await user.run(CREATE_GROUP, { input: { name: 'Sneaky' } });

      expect(data.createGroup).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(await server.server.db.prisma.group.count({ where: { name: 'Sneaky' } })).toBe(0);
    });
  });

  describe('group members', () => {
    it('adds and removes a member', async () => {
      const groupId = await createGroup('Engineering');
      const memberId = await userId('groups.engineer@example.com');

      const added = await admin.run(ADD_MEMBER, { input: { groupId, userId: memberId } });
      const member = clientFor(server, await server.token('groups.engineer@example.com'));
      const seen = await member.run(VIEWER);
      const removed = await admin.run(REMOVE_MEMBER, { input: { groupId, userId: memberId } });

      expect(added.addGroupMember).toEqual({
        __typename: 'AddGroupMemberPayload',
        group: {
          name: 'Engineering',
          members: {
            totalCount: 1,
            edges: [{ node: { user: { email: 'groups.engineer@example.com' } } }],
          },
        },
      });
      expect(seen.viewer.groups).toEqual([{ name: 'Engineering' }]);
      expect(removed.removeGroupMember).toEqual({
        __typename: 'RemoveGroupMemberPayload',
        group: { members: { totalCount: 0 } },
      });
    });

    it('refuses a second membership with CONFLICT', async () => {
      const groupId = await createGroup('Support');
      const memberId = await userId('groups.support@example.com');
      await admin.run(ADD_MEMBER, { input: { groupId, userId: memberId } });

      const data = await admin.run(ADD_MEMBER, { input: { groupId, userId: memberId } });

      expect(data.addGroupMember).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    });

    it('answers NOT_FOUND for an unknown group or user, or a user not in the group', async () => {
      const groupId = await createGroup('Design');
      const memberId = await userId('groups.designer@example.com');
      const missingGroupId = encodeGlobalID('Group', randomUUID());
      const missingUserId = encodeGlobalID('User', randomUUID());

      const noGroup = await admin.run(ADD_MEMBER, {
        input: { groupId: missingGroupId, userId: memberId },
      });
      const noUser = await admin.run(ADD_MEMBER, { input: { groupId, userId: missingUserId } });
      const notMember = await admin.run(REMOVE_MEMBER, { input: { groupId, userId: memberId } });

      expect(noGroup.addGroupMember).toMatchObject({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        notFoundField: 'input.groupId',
      });
      expect(noUser.addGroupMember).toMatchObject({
        __typename: 'NotFoundError',
        notFoundField: 'input.userId',
      });
      expect(notMember.removeGroupMember).toMatchObject({
        __typename: 'NotFoundError',
        notFoundField: 'input.userId',
      });
    });

    it('refuses an ID of the wrong type with INVALID_INPUT naming the field', async () => {
      const groupId = await createGroup('Sales');
      const memberId = await userId('groups.seller@example.com');

      const swapped = await admin.run(ADD_MEMBER, {
        input: { groupId: memberId, userId: groupId },
      });
      const garbage = await admin.run(ADD_MEMBER, { input: { groupId, userId: 'nonsense' } });

      expect(swapped.addGroupMember).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'input.groupId',
      });
      expect(garbage.addGroupMember).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.userId',
      });
    });

    it('refuses a non-administrator with FORBIDDEN and changes no membership', async () => {
      const groupId = await createGroup('Admins Only');
      const sneakyId = await userId('groups.sneaky@example.com');
      const sneaky = clientFor(server, await server.token('groups.sneaky@example.com'));
      const prisma = server.server.db.prisma;
      const sneakyRawId = decodeGlobalID(sneakyId).id;

      const add = await sneaky.run(ADD_MEMBER, { input: { groupId, userId: sneakyId } });
      const remove = await sneaky.run(REMOVE_MEMBER, { input: { groupId, userId: sneakyId } });

      expect(add.addGroupMember).toMatchObject({ __typename: 'ForbiddenError' });
      expect(remove.removeGroupMember).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await prisma.groupMembership.count({ where: { userId: sneakyRawId } })).toBe(0);
    });
  });

  describe('groups and users queries', () => {
    it('pages through groups by name, with a search and a total count', async () => {
      for (const name of ['Zeta Paging', 'Alpha Paging', 'Mid Paging']) {
        await createGroup(name, 'for paging');
      }

      const first = await admin.run(GROUPS, { first: 2, search: 'paging' });
      const second = await admin.run(GROUPS, {
        first: 2,
        search: 'PAGING',
        after: first.groups.pageInfo.endCursor,
      });

      expect(first.groups).toMatchObject({
        totalCount: 3,
        pageInfo: { hasNextPage: true },
        edges: [{ node: { name: 'Alpha Paging' } }, { node: { name: 'Mid Paging' } }],
      });
      expect(second.groups).toMatchObject({
        totalCount: 3,
        pageInfo: { hasNextPage: false },
        edges: [{ node: { name: 'Zeta Paging' } }],
      });
    });

    it('lists users by e-mail, searching e-mail and name', async () => {
      for (const email of ['dir.c@example.com', 'dir.a@example.com', 'dir.b@example.com']) {
        await userId(email);
      }
      await userId('someone.else@example.com');

      const page = await admin.run(USERS, { first: 2, search: 'DIR.' });
      const rest = await admin.run(USERS, {
        search: 'dir.',
        after: page.users.pageInfo.endCursor,
      });

      expect(page.users.totalCount).toBe(3);
      expect(page.users.edges.map((edge) => edge.node.email)).toEqual([
        'dir.a@example.com',
        'dir.b@example.com',
      ]);
      expect(rest.users.edges.map((edge) => edge.node.email)).toEqual(['dir.c@example.com']);
    });

    it('refuses the lists to a non-administrator with FORBIDDEN', async () => {
      const user = clientFor(server, await server.token('groups.nosy@example.com'));

      const groups = await user.raw(GROUPS, {});
      const users = await user.raw(USERS, {});

      expect(groups.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(users.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
