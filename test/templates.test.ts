import { InvalidInputError } from '../src/services/errors';
import {
  DEFAULT_TEMPLATES,
  TEMPLATE_PLACEHOLDERS,
  renderTemplate,
  validateTemplate,
} from '../src/services/templates';
import { graphql } from './generated';
import {
  ADMIN_EMAIL,
  clientFor,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
} from './support/server';

function invalidField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) {
      return `${error.field}: ${error.message}`;
    }
    throw error;
  }

  return undefined;
}

describe('validateTemplate', () => {
  it('accepts every known placeholder, with or without spaces inside the braces', () => {
    const body = TEMPLATE_PLACEHOLDERS.map((name) => `{{${name}}} {{ ${name} }}`).join('\n');

    expect(validateTemplate('  Hi {{ requesterName }}  ', `${body}\n`)).toEqual({
      subject: 'Hi {{ requesterName }}',
      body,
    });
  });

  it('names the field and the placeholder it does not know', () => {
    expect(invalidField(() => validateTemplate('Hi {{requester}}', 'ok'))).toMatch(
      /^input\.subject: .*\{\{requester\}\}/,
    );
    expect(invalidField(() => validateTemplate('Hi', 'Dear {{ app label }}'))).toMatch(
      /^input\.body: .*\{\{app label\}\}/,
    );
    expect(invalidField(() => validateTemplate('Hi', 'Dear {{}}'))).toMatch(/^input\.body: /);
  });

  it('requires both texts, limits their length and keeps the subject to one line', () => {
    expect(invalidField(() => validateTemplate(' ', 'body'))).toMatch(/^input\.subject: /);
    expect(invalidField(() => validateTemplate('subject', ''))).toMatch(/^input\.body: /);
    expect(invalidField(() => validateTemplate('x'.repeat(201), 'body'))).toMatch(
      /^input\.subject: .*200/,
    );
    expect(invalidField(() => validateTemplate('subject', 'x'.repeat(5_001)))).toMatch(
      /^input\.body: .*5000/,
    );
    expect(invalidField(() => validateTemplate('one\ntwo', 'body'))).toMatch(
      /^input\.subject: .*single line/,
    );
    expect(validateTemplate('x'.repeat(200), 'x'.repeat(5_000)).body).toHaveLength(5_000);
  });

  it('accepts every default template, and APPROVAL_REQUIRED carries the step message', () => {
    for (const template of Object.values(DEFAULT_TEMPLATES)) {
      expect(validateTemplate(template.subject, template.body)).toEqual(template);
    }

    expect(DEFAULT_TEMPLATES.APPROVAL_REQUIRED.body).toContain('{{stepMessage}}');
  });
});

describe('renderTemplate', () => {
  it('fills in values and renders missing ones as nothing', () => {
    const rendered = renderTemplate(
      { subject: 'Access to {{ appLabel }}', body: 'Hi {{requesterName}},\n{{comment}}.' },
      { appLabel: 'Salesforce', requesterName: 'Ann' },
    );

    expect(rendered).toEqual({
      subject: 'Access to Salesforce',
      text: 'Hi Ann,\n.',
      html: 'Hi Ann,<br>\n.',
    });
  });

  it('keeps line breaks and control characters out of the subject', () => {
    const rendered = renderTemplate(
      { subject: 'Request from {{requesterName}}', body: '' },
      { requesterName: 'Ann\r\nBcc: victim@example.com\u0000\u2028x' },
    );

    expect(rendered.subject).toBe('Request from Ann  Bcc: victim@example.com  x');
    expect(rendered.subject).not.toMatch(/[\r\n]/);
  });

  it('inserts values into the text as they are, minus control characters', () => {
    const rendered = renderTemplate(
      { subject: 's', body: 'Why: {{justification}}' },
      { justification: 'line one\r\n\tline <two> & "three"\u0007\u001b[31m' },
    );

    expect(rendered.text).toBe('Why: line one\n\tline <two> & "three"[31m');
  });

  it('escapes values and the template text in the HTML and turns line breaks into <br>', () => {
    const rendered = renderTemplate(
      { subject: 's', body: 'A & B\r\n<p>{{comment}}</p>\n{{ appName }}' },
      { comment: `<script>alert('x')</script> & "y"`, appName: 'one\ntwo' },
    );

    expect(rendered.html).toBe(
      'A &amp; B<br>\n&lt;p&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; ' +
        '&quot;y&quot;&lt;/p&gt;<br>\none<br>\ntwo',
    );
  });
});

describe.each(DATABASE_KINDS)('notification templates over the API (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const SET_TEMPLATE = graphql(`
    mutation TemplatesSet($input: SetNotificationTemplateInput!) {
      setNotificationTemplate(input: $input) {
        __typename
        ... on SetNotificationTemplatePayload {
          template {
            event
            subject
            body
            isDefault
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

  const TEMPLATES = graphql(`
    query TemplatesList {
      selfServiceSettings {
        notificationTemplates {
          event
          subject
          body
          isDefault
          updatedAt
        }
      }
    }
  `);

  it('lists a default template for every event to administrators', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    const data = await admin.run(TEMPLATES);

    const templates = data.selfServiceSettings.notificationTemplates;
    expect(templates.map((template) => template.event)).toEqual(Object.keys(DEFAULT_TEMPLATES));
    expect(templates.find((template) => template.event === 'REQUEST_DENIED')).toEqual({
      event: 'REQUEST_DENIED',
      ...DEFAULT_TEMPLATES.REQUEST_DENIED,
      isDefault: true,
      updatedAt: null,
    });
  });

  it('lets an administrator replace a template, and replace it again', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    await admin.run(SET_TEMPLATE, {
      input: { event: 'REQUEST_APPROVED', subject: 'First', body: 'Body one' },
    });
    const data = await admin.run(SET_TEMPLATE, {
      input: {
        event: 'REQUEST_APPROVED',
        subject: ' {{ appLabel }} is yours ',
        body: 'Hi {{requesterName}}',
      },
    });
    const listed = await admin.run(TEMPLATES);

    expect(data.setNotificationTemplate).toMatchObject({
      __typename: 'SetNotificationTemplatePayload',
      template: {
        event: 'REQUEST_APPROVED',
        subject: '{{ appLabel }} is yours',
        body: 'Hi {{requesterName}}',
        isDefault: false,
        updatedAt: expect.any(String),
      },
    });
    expect(
      listed.selfServiceSettings.notificationTemplates.find(
        (template) => template.event === 'REQUEST_APPROVED',
      ),
    ).toMatchObject({ subject: '{{ appLabel }} is yours', isDefault: false });
    expect(await server.server.db.prisma.notificationTemplate.count()).toBe(1);
  });

  it('refuses an unknown placeholder with INVALID_INPUT naming the field', async () => {
    const admin = clientFor(server, await server.token(ADMIN_EMAIL));

    const data = await admin.run(SET_TEMPLATE, {
      input: { event: 'REQUEST_DENIED', subject: 'Denied', body: 'Sorry {{ userName }}' },
    });

    expect(data.setNotificationTemplate).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      field: 'input.body',
      message: expect.stringContaining('{{userName}}'),
    });
    expect(
      await server.server.db.prisma.notificationTemplate.findUnique({
        where: { event: 'REQUEST_DENIED' },
      }),
    ).toBeNull();
  });

  it('refuses a non-administrator with FORBIDDEN, and shows them no templates', async () => {
    const user = clientFor(server, await server.token('templates.user@example.com'));

    const data = await user.run(SET_TEMPLATE, {
      input: { event: 'APP_SUGGESTED', subject: 'Pwned', body: 'Pwned' },
    });
    const listed = await user.run(TEMPLATES);

    expect(data.setNotificationTemplate).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(listed.selfServiceSettings.notificationTemplates).toEqual([]);
    expect(
      await server.server.db.prisma.notificationTemplate.findUnique({
        where: { event: 'APP_SUGGESTED' },
      }),
    ).toBeNull();
  });
});
