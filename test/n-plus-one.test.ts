import { graphql } from './generated';
import { signIn, type Person } from './support/catalog';
import { ADMIN_EMAIL, DATABASE_KINDS, startTestServer, type TestServer } from './support/server';

/*
 * The catalog's lists must cost the same number of SQL statements whatever
 * the page size: the Prisma plugin loads each relation (steps, their users
 * and groups, notes, their authors) once for the whole page. A resolver that
 * forgets to pass `query` on shows up here as a count that grows with N.
 */

const CATALOG_N_PLUS_ONE_AVAILABLE = graphql(`
  query CatalogNPlusOneAvailable {
    availableApps(first: 50) {
      totalCount
      edges {
        node {
          label
          selfService {
            requestable
          }
          approvalSteps {
            position
            approverUser {
              name
            }
            approverGroup {
              name
            }
            escalateTo {
              name
            }
          }
          notes {
            body
            author {
              name
            }
          }
        }
      }
    }
  }
`);

const CATALOG_N_PLUS_ONE_ALL = graphql(`
  query CatalogNPlusOneAll($first: Int) {
    appIntegrations(first: $first) {
      edges {
        node {
          label
          notifyEmails
          approvalSteps {
            approverUser {
              name
            }
            approverGroup {
              name
            }
            escalateTo {
              name
            }
          }
          notes {
            author {
              name
            }
          }
        }
      }
    }
  }
`);

describe.each(DATABASE_KINDS)('catalog lists without N+1 queries (%s)', (kind) => {
  let server: TestServer;
  let admin: Person;
  let user: Person;
  let created = 0;

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await signIn(server, ADMIN_EMAIL, 'Ada Admin');
    user = await signIn(server, 'reader@example.com', 'Rita Reader');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Adds apps until there are `total`, each with a user, a group and an escalating step. */
  async function growCatalogTo(total: number): Promise<void> {
    const { prisma } = server.server.db;
    for (; created < total; created += 1) {
      const n = created;
      const approver = await prisma.user.create({
        data: { email: `approver-${n}@example.com`, name: `Approver ${n}` },
      });
      const director = await prisma.user.create({
        data: { email: `director-${n}@example.com`, name: `Director ${n}` },
      });
      const boss = await prisma.user.create({
        data: { email: `boss-${n}@example.com`, name: `Boss ${n}` },
      });
      const group = await prisma.group.create({ data: { name: `Group ${n}` } });

      await prisma.appIntegration.create({
        data: {
          name: `app-${n}`,
          label: `App ${String(n).padStart(2, '0')}`,
          requestable: true,
          notifyEmails: ['ops@example.com'],
          approvalSteps: {
            create: [
              { position: 1, approverUserId: approver.id },
              { position: 2, approverGroupId: group.id, timeout: 'P2D' },
              {
                position: 3,
                approverUserId: director.id,
                timeoutAction: 'ESCALATE',
                escalateToUserId: boss.id,
              },
            ],
          },
          notes: {
            create: [
              { authorId: admin.rawId, body: `First note on ${n}` },
              { authorId: boss.id, body: `Second note on ${n}`, kind: 'COMMENT' },
            ],
          },
        },
      });
    }
  }

  /**
   * Runs one operation a few times; returns its data and the fewest SQL
   * statements a run sent. The server's background workers (timeout sweep,
   * notification outbox) query every half second through the same counter,
   * so a single run may count a few of theirs; they only ever add, so the
   * minimum is the operation's own count.
   */
  async function measure<Data>(
    run: () => Promise<Data>,
  ): Promise<{ statements: number; data: Data }> {
    const { queries } = server.server.db;
    let statements = Number.POSITIVE_INFINITY;
    let data: Data | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      queries.count = 0;
      data = await run();
      statements = Math.min(statements, queries.count);
    }

    return { statements, data: data as Data };
  }

  it('availableApps sends as many statements for 40 apps as for 5', async () => {
    await growCatalogTo(5);
    const five = await measure(() => user.client.run(CATALOG_N_PLUS_ONE_AVAILABLE));
    await growCatalogTo(40);
    const forty = await measure(() => user.client.run(CATALOG_N_PLUS_ONE_AVAILABLE));

    expect(five.data.availableApps.totalCount).toBe(5);
    expect(forty.data.availableApps.edges).toHaveLength(40);
    expect(forty.data.availableApps.edges[39]?.node.approvalSteps[2]?.escalateTo).toEqual({
      name: 'Boss 39',
    });
    expect(forty.statements).toBe(five.statements);
    // The viewer; the org setting and the page; the org setting and the count; then one
    // statement per relation: steps, their approver users, groups and escalation users,
    // notes, their authors.
    expect(forty.statements).toBe(11);
  });

  it('appIntegrations sends as many statements for a page of 40 as for a page of 5', async () => {
    await growCatalogTo(40);

    const five = await measure(() => admin.client.run(CATALOG_N_PLUS_ONE_ALL, { first: 5 }));
    const forty = await measure(() => admin.client.run(CATALOG_N_PLUS_ONE_ALL, { first: 40 }));

    expect(five.data.appIntegrations.edges).toHaveLength(5);
    expect(forty.data.appIntegrations.edges).toHaveLength(40);
    expect(forty.statements).toBe(five.statements);
    // The viewer, the page, and one statement per relation as above (no count selected).
    expect(forty.statements).toBe(8);
  });
});
