import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { gid, makeApp, makeUser } from './support/fixtures';
import { APPROVE, REQUEST_APP } from './support/requests';
import { clientFor, startTestServer, type TestServer } from './support/server';

/*
 * GraphiQL in a real browser: the headers and a subscription are typed into
 * its editors, a decision is made over HTTP, and the events must show up in
 * its result pane. Yoga's GraphiQL runs a subscription as one SSE stream, a
 * GET on /graphql with `accept: text/event-stream` (graphql-sse's distinct
 * connections mode). It sends the Headers editor's content as HTTP headers,
 * so the bearer token reaches our context as for any request, plus the CSRF
 * header that src/server.ts adds to GraphiQL's options.
 */

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'graphiql-subscription.png');
const WAIT_MS = 20_000;

const SUBSCRIPTION =
  'subscription { approvalQueueChanged { type event request { status app { label } } } }';
const APP_LABEL = 'GraphiQL Demo App';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(
    `${CHROMIUM} is missing: the GraphiQL browser test is skipped ` +
      '(apt-get install chromium to run it).\n',
  );
}

/** Replaces the whole content of the Monaco editor under `section` with `text`. */
async function fillEditor(page: Page, section: string, text: string): Promise<void> {
  const editor = page.locator(`section[aria-label="${section}"] .graphiql-editor:not(.hidden)`);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText pastes in one input event, so Monaco does not auto-close the
  // brackets and quotes as it would for typed keys.
  await page.keyboard.insertText(text);
  await page.keyboard.press('Home');
}

/** Waits until GraphiQL's result pane contains every string in `texts`. */
async function waitForResult(page: Page, texts: string[]): Promise<void> {
  const pane = page.locator('section[aria-label="Result Window"]');
  try {
    await page.waitForFunction(
      ({ wanted }) => {
        const shown = document.querySelector('section[aria-label="Result Window"]');
        const text = (shown?.textContent ?? '').replace(/\s+/g, ' ');

        return wanted.every((part) => text.includes(part));
      },
      { wanted: texts },
      { timeout: WAIT_MS },
    );
  } catch (error) {
    const shown = (await pane.textContent())?.replace(/\s+/g, ' ');
    throw new Error(
      `GraphiQL's result pane did not show ${JSON.stringify(texts)} within ${WAIT_MS} ms; ` +
        `it shows: ${shown}`,
      { cause: error },
    );
  }
}

(hasChromium ? describe : describe.skip)('GraphiQL in headless Chromium (pglite)', () => {
  let server: TestServer;
  let browser: Browser | undefined;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows approval queue events of a subscription started in GraphiQL', async () => {
    // 1. An approver, and an app whose one approval step is theirs.
    const prisma = server.server.db.prisma;
    const approver = await makeUser(prisma, 'graphiql-approver@example.com');
    const app = await makeApp(prisma, { label: APP_LABEL, steps: [{ userId: approver.id }] });
    const approverToken = await server.token('graphiql-approver@example.com');

    // 2. GraphiQL, served for browsers on the GraphQL URL.
    const page = await browser!.newPage({ viewport: { width: 1_280, height: 800 } });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(server.url);
    await page.locator('section[aria-label="Operation Editor"] .monaco-editor').waitFor();

    // 3. The approver's token in the Headers editor, the subscription in the
    // operation editor, then run it and wait until its SSE stream is open.
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await fillEditor(page, 'Headers', JSON.stringify({ Authorization: `Bearer ${approverToken}` }));
    await fillEditor(page, 'Operation Editor', SUBSCRIPTION);
    // Prettified, the operation reads well in the screenshot.
    await page.getByRole('button', { name: /^Prettify query/ }).click();
    const streamOpened = page.waitForResponse(
      (response) =>
        response.url().startsWith(server.url) &&
        response.request().headers().accept === 'text/event-stream',
    );
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const stream = await streamOpened;
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toContain('text/event-stream');
    // The response headers come just before the server starts listening for
    // live events; give it a moment so the request below is not missed.
    await new Promise((resolve) => setTimeout(resolve, 300));

    // 4. Someone requests the app: it enters the approver's queue.
    const requester = clientFor(server, await server.token('graphiql-asker@example.com'));
    const created = await requester.run(REQUEST_APP, {
      input: { appId: gid('AppIntegration', app.id) },
    });
    expect(created.requestApp.__typename).toBe('RequestAppPayload');
    const requestId = (created.requestApp as { request: { id: string } }).request.id;

    await waitForResult(page, ['"ENTERED"', '"STEP_STARTED"', '"PENDING"', APP_LABEL]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // 5. The approver approves over HTTP: the request leaves the queue.
    const approved = await clientFor(server, approverToken).run(APPROVE, {
      input: { requestId },
    });
    expect(approved.approveRequest.__typename).toBe('ApproveRequestPayload');
    await waitForResult(page, ['"LEFT"', '"APPROVED"', APP_LABEL]);

    await page.close();
  });
});
