import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

const SETTINGS = graphql(`
  query SettingsRead {
    selfServiceSettings {
      userAppRequestsEnabled
      allowPersonalApps
      technicalContactEmail
      defaultApprovalTimeout
      updatedAt
    }
  }
`);

const UPDATE_SETTINGS = graphql(`
  mutation SettingsUpdate($input: UpdateSelfServiceSettingsInput!) {
    updateSelfServiceSettings(input: $input) {
      __typename
      ... on UpdateSelfServiceSettingsPayload {
        settings {
          userAppRequestsEnabled
          allowPersonalApps
          technicalContactEmail
          defaultApprovalTimeout
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

describe.each(DATABASE_KINDS)('self-service settings (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows the defaults to any signed-in user', async () => {
    const user = clientFor(server, await server.token('settings.reader@example.com'));

    const data = await user.run(SETTINGS);

    expect(data.selfServiceSettings).toEqual({
      userAppRequestsEnabled: true,
      allowPersonalApps: true,
      technicalContactEmail: null,
      defaultApprovalTimeout: 'P7D',
      updatedAt: expect.any(String),
    });
  });

  it('changes only the fields sent, and clears the contact on an explicit null', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    const first = await admin.run(UPDATE_SETTINGS, {
      input: { technicalContactEmail: ' IT@Example.com ', defaultApprovalTimeout: 'p3d' },
    });
    const second = await admin.run(UPDATE_SETTINGS, {
      input: { allowPersonalApps: false },
    });
    const third = await admin.run(UPDATE_SETTINGS, {
      input: { technicalContactEmail: null, allowPersonalApps: true },
    });

    expect(first.updateSelfServiceSettings).toEqual({
      __typename: 'UpdateSelfServiceSettingsPayload',
      settings: {
        userAppRequestsEnabled: true,
        allowPersonalApps: true,
        technicalContactEmail: 'it@example.com',
        defaultApprovalTimeout: 'P3D',
      },
    });
    expect(second.updateSelfServiceSettings).toMatchObject({
      settings: {
        allowPersonalApps: false,
        technicalContactEmail: 'it@example.com',
        defaultApprovalTimeout: 'P3D',
      },
    });
    expect(third.updateSelfServiceSettings).toMatchObject({
      settings: {
        allowPersonalApps: true,
        technicalContactEmail: null,
        defaultApprovalTimeout: 'P3D',
      },
    });
  });

  it('refuses a malformed e-mail or duration with INVALID_INPUT and changes nothing', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));
    const before = await admin.run(SETTINGS);

    const email = await admin.run(UPDATE_SETTINGS, {
      input: { technicalContactEmail: 'not an address', userAppRequestsEnabled: false },
    });
    const duration = await admin.run(UPDATE_SETTINGS, {
      input: { defaultApprovalTimeout: '3 days' },
    });
    const tooShort = await admin.run(UPDATE_SETTINGS, {
      input: { defaultApprovalTimeout: 'PT0S' },
    });
    const after = await admin.run(SETTINGS);

    expect(email.updateSelfServiceSettings).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      field: 'input.technicalContactEmail',
    });
    expect(duration.updateSelfServiceSettings).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.defaultApprovalTimeout',
    });
    expect(tooShort.updateSelfServiceSettings).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.defaultApprovalTimeout',
    });
    expect(after).toEqual(before);
  });

  it('refuses a non-administrator with FORBIDDEN and changes nothing', async () => {
    const user = clientFor(server, await server.token('settings.user@example.com'));
    const before = await user.run(SETTINGS);

    const data = await user.run(UPDATE_SETTINGS, {
      input: { userAppRequestsEnabled: false, technicalContactEmail: 'me@example.com' },
    });
    const after = await user.run(SETTINGS);

    expect(data.updateSelfServiceSettings).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(after).toEqual(before);
  });
});
