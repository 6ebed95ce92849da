import { SignJWT } from 'jose';
import { graphql } from './generated';

import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  TEST_JWT_SECRET,
  type TestServer,
} from './support/server';

describe.each(DATABASE_KINDS)('identity and createUser (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses an operation without a token with UNAUTHENTICATED and HTTP 401', async () => {
    const { status, body } = await server.request('{ viewer { id } }');

    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({ email: 'mallory@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));

    const { status, body } = await server.request('{ viewer { id } }', {}, { token: forged });

    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token and a token without an e-mail', async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const expired = await new SignJWT({ email: 'old@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const anonymous = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(key);

    for (const token of [expired, anonymous]) {
      const { status, body } = await server.request('{ viewer { id } }', {}, { token });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets introspection through without a token so GraphiQL can load the schema', async () => {
    const { status, body } = await server.request('{ __schema { queryType { name } } }');

    expect(status).toBe(200);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('creates a user just in time, case-insensitively, with the name claim', async () => {
    const first = clientFor(server, await server.token('New.Person@Example.com', 'New Person'));
    const second = clientFor(server, await server.token('new.person@example.com'));

    const a = await first.run('{ viewer { id email name isAdmin groups { name } } }');
    const b = await second.run('{ viewer { id email } }');

    expect(a.viewer).toMatchObject({
      email: 'new.person@example.com',
      name: 'New Person',
      isAdmin: false,
      groups: [],
    });
    expect(b.viewer.id).toBe(a.viewer.id);
  });

  it('answers null for node(id:) of a user or group that does not exist', async () => {
    const client = clientFor(server, await server.token('finder@example.com'));
    const missing = '00000000-0000-4000-8000-000000000000';
    const encode = (type: string) => Buffer.from(`${type}:${missing}`).toString('base64');

    const data = await client.run(
      'query ($user: ID!, $group: ID!) { user: node(id: $user) { id } group: node(id: $group) { id } }',
      { user: encode('User'), group: encode('Group') },
    );

    expect(data).toEqual({ user: null, group: null });
  });

  it('makes ADMIN_EMAILS administrators', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    const data = await admin.run('{ viewer { isAdmin } }');

    expect(data.viewer.isAdmin).toBe(true);
  });

  describe('createUser', () => {
    const CREATE_USER = graphql(`
      mutation CreateUser($input: CreateUserInput!) {
        createUser(input: $input) {
          __typename
          ... on CreateUserPayload {
            user {
              id
              email
              name
              isAdmin
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

    it('lets an administrator add a user', async () => {
      const admin = clientFor(server, await server.token(ADMIN_EMAIL));

      const data = await admin.run(CREATE_USER, {
        input: { email: 'Bob@Example.com', name: 'Bob' },
      });

      expect(data.createUser).toMatchObject({
        __typename: 'CreateUserPayload',
        user: { email: 'bob@example.com', name: 'Bob', isAdmin: false },
      });
    });

    it('refuses a duplicate e-mail with CONFLICT and a malformed one with INVALID_INPUT', async () => {
      const admin = clientFor(server, await server.token(ADMIN_EMAIL));
      await admin.run(CREATE_USER, { input: { email: 'dup@example.com' } });

      const duplicate = await admin.run(CREATE_USER, { input: { email: 'DUP@example.com' } });
      const malformed = await admin.run(CREATE_USER, { input: { email: 'not-an-email' } });

      expect(duplicate.createUser).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      expect(malformed.createUser).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'input.email',
      });
    });

    it('refuses a non-administrator with FORBIDDEN and creates nothing', async () => {
      const user = clientFor(server, await server.token('plain@example.com'));
      const admin = clientFor(server, await server.token(ADMIN_EMAIL));

      const data = await user.run(CREATE_USER, {
        input: { email: 'sneaky@example.com', isAdmin: true },
      });
      const created = await server.server.db.prisma.user.findUnique({
        where: { email: 'sneaky@example.com' },
      });

      expect(data.createUser).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(created).toBeNull();
      await admin.run('{ viewer { id } }');
    });
  });
});
