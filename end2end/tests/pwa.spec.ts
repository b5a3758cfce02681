// The installable app and reminders in Chromium (issue 27): Chromium's own installability
// check, a push delivered to the real service worker through the DevTools protocol showing
// the notification, the in-app bell, a click opening the todo, "Done" completing it through
// the server, the Settings → Notifications panel with the Push API replaced in the page (no
// push service is reachable here), and a new build picked up on the next load.
import { cpSync, readFileSync, readdirSync, renameSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { test as base, expect, TaskoServer, api, signUp, uniqueEmail, watchForErrors } from './fixtures';
import { PushReceiver, stubPushManager } from './webpush';

const test = base.extend<{ server: TaskoServer; receiver: PushReceiver }>({
  // A profile on disk, as an installed app has: Chromium never installs from an incognito
  // context (Playwright's default), nor shows its notifications. Notifications are allowed.
  context: async ({}, use, testInfo) => {
    const profile = mkdtempSync(join(tmpdir(), 'tasko-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      ...testInfo.project.use.launchOptions,
      permissions: ['notifications'],
    });
    await use(context);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  },
  // The context's own first tab: a second one would be a hidden background tab.
  page: async ({ context }, use) => {
    await use(context.pages()[0] ?? (await context.newPage()));
  },
  // Subscriptions to the test's loopback "push service" are accepted only with this.
  server: async ({}, use) => {
    const server = new TaskoServer({ PUSH_ALLOW_LOOPBACK: '1' });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
  receiver: async ({}, use) => {
    const receiver = new PushReceiver();
    await receiver.start();
    await use(receiver);
    receiver.stop();
  },
});

/** Waits until the page is controlled by the active service worker. */
async function workerReady(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** The service worker registration's id, as the DevTools protocol names it. */
async function registrationId(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Map<string, string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
    for (const r of e.registrations) if (!r.isDeleted) found.set(r.scopeURL, r.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => found.get(`${origin}/`)).toBeTruthy();
  return found.get(`${origin}/`)!;
}

/** Delivers `payload` as a push message and waits until the worker shows a notification;
 * the DevTools protocol's delivery is sometimes dropped by a worker still starting up under
 * load, so it is delivered again (at most five times: one tag per todo, so a second
 * delivery replaces the first and never adds one). */
async function deliverPush(page: Page, origin: string, payload: unknown): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const id = await registrationId(cdp, origin);
  for (let attempt = 0; attempt < 5; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId: id,
      data: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if ((await shownNotifications(page)).length > 0) return;
      await page.waitForTimeout(100);
    }
  }
}

async function shownNotifications(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data,
      actions: (n as any).actions?.map((a: any) => a.title) ?? [],
    }));
  });
}

/** Clicks the shown notification (optionally one of its buttons) inside the service worker. */
async function clickNotification(context: BrowserContext, action: string): Promise<void> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(async (action) => {
    const [notification] = await (self as any).registration.getNotifications();
    self.dispatchEvent(new (self as any).NotificationEvent('notificationclick', { notification, action }));
  }, action);
}

test('Chromium finds the app installable: manifest, icons, service worker', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Create an account' })).toBeVisible();
  await workerReady(page);
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toBe(`${server.url}/public/manifest.webmanifest`);
  const parsed = JSON.parse(manifest.data!);
  expect(parsed.display).toBe('standalone');
  expect(parsed.icons.map((i: any) => i.sizes)).toEqual(['192x192', '512x512', '512x512']);
  await expect
    .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors)
    .toEqual([]);
  for (const icon of parsed.icons) {
    const response = await page.request.get(`${server.url}${icon.src}`);
    expect(response.headers()['content-type']).toBe('image/png');
  }
  const worker = await page.request.get(`${server.url}/sw.js`);
  expect(worker.headers()['cache-control']).toBe('no-cache');
  expect(errors).toEqual([]);
});

test('a push shows the reminder with its actions, in the bell too, and a click opens the todo', async ({
  page,
  server,
}) => {
  await signUp(page, server, uniqueEmail('push'));
  const todo = (await api(page, 'POST', '/api/todos', { title: 'Dentist', dateDue: '2030-01-07' })).body;
  await workerReady(page);
  await deliverPush(page, server.url, {
    kind: 'reminder',
    todoId: todo.id,
    title: 'Dentist',
    body: 'Due today at 09:00',
    url: `/?todo=${todo.id}`,
    actionToken: 'not-a-real-token',
  });
  await expect.poll(() => shownNotifications(page)).toEqual([
    {
      title: 'Dentist',
      body: 'Due today at 09:00',
      tag: `todo-${todo.id}`,
      data: { todoId: todo.id, url: `/?todo=${todo.id}`, actionToken: 'not-a-real-token' },
      actions: ['Done', 'Snooze 1 h'],
    },
  ]);
  // The open page heard of it at once: the bell counts it and lists it.
  const bell = page.getByRole('button', { name: /^Reminders, 1 new/ });
  await expect(bell).toBeVisible();
  await bell.click();
  const list = page.getByRole('region', { name: 'Reminders' });
  await expect(list.getByRole('button', { name: /Dentist Due today at 09:00/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reminders', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();

  // A click on the notification itself (no button) shows the todo in the open page.
  await clickNotification(page.context(), '');
  await expect(page.getByRole('heading', { name: 'Details' })).toBeVisible();
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Dentist');
  await expect.poll(() => shownNotifications(page)).toEqual([]);

  // A page opened at the address a notification opens shows the todo too.
  await page.goto(`${server.url}/?todo=${todo.id}`);
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Dentist');
  expect(new URL(page.url()).search).toBe('');
});

test('a reminder sent by the server reaches the worker, and its Done completes the todo', async ({
  page,
  server,
  receiver,
}) => {
  const [stub, subscription] = stubPushManager(receiver.subscription());
  await page.addInitScript(stub, subscription);
  await signUp(page, server, uniqueEmail('done'));
  await workerReady(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions'));
  await page.getByLabel('Reminders in this browser').check();
  expect((await saved).status()).toBe(201);

  const soon = new Date(Date.now() + 1500).toISOString();
  const todo = (
    await api(page, 'POST', '/api/todos', { title: 'Water the plants', reminders: [{ at: soon }] })
  ).body;
  // The server's sweep sends it to our loopback push service, encrypted for our keys.
  await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const sent = receiver.received[0];
  expect(sent.headers['content-encoding']).toBe('aes128gcm');
  expect(String(sent.headers['authorization'])).toMatch(/^vapid t=/i);
  const payload = JSON.parse(receiver.decrypt(sent.body));
  expect(payload).toMatchObject({ kind: 'reminder', todoId: todo.id, title: 'Water the plants', url: `/?todo=${todo.id}` });

  await deliverPush(page, server.url, payload);
  await expect.poll(async () => (await shownNotifications(page)).map((n) => n.title)).toEqual(['Water the plants']);
  await clickNotification(page.context(), 'done');
  await expect.poll(async () => (await api(page, 'GET', `/api/todos/${todo.id}`)).body.completed).toBe(true);
  // The bell lists what the server sent.
  await page.getByRole('button', { name: /^Reminders/ }).click();
  await expect(
    page.getByRole('region', { name: 'Reminders' }).getByRole('button', { name: /Water the plants/ }),
  ).toBeVisible();
});

/** Signs up, turns notifications on (the Push API stubbed with `receiver`'s subscription). */
async function signUpWithNotifications(page: Page, server: TaskoServer, receiver: PushReceiver, who: string) {
  const [stub, subscription] = stubPushManager(receiver.subscription());
  await page.addInitScript(stub, subscription);
  await signUp(page, server, uniqueEmail(who));
  await workerReady(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions'));
  await page.getByLabel('Reminders in this browser').check();
  expect((await saved).status()).toBe(201);
}

test("a reminder's Snooze 1 h, with no app page, moves the reminder an hour on", async ({
  page,
  server,
  receiver,
}) => {
  await signUpWithNotifications(page, server, receiver, 'snooze');
  const soon = new Date(Date.now() + 1500).toISOString();
  const todo = (await api(page, 'POST', '/api/todos', { title: 'Call the bank', reminders: [{ at: soon }] })).body;
  await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const payload = JSON.parse(receiver.decrypt(receiver.received[0].body));
  expect(payload).toMatchObject({ todoId: todo.id, title: 'Call the bank' });

  await deliverPush(page, server.url, payload);
  await expect.poll(async () => (await shownNotifications(page)).map((n) => n.title)).toEqual(['Call the bank']);
  const clicked = Date.now();
  await clickNotification(page.context(), 'snooze');
  const later = async () =>
    (await api(page, 'GET', `/api/todos/${todo.id}`)).body.reminders
      .map((r: { at?: string }) => Date.parse(r.at ?? ''))
      .filter((at: number) => at > clicked);
  await expect.poll(async () => (await later()).length).toBe(1);
  const after = (await api(page, 'GET', `/api/todos/${todo.id}`)).body;
  expect(after.completed).toBe(false);
  // The reminder that fired is past: the snoozed one takes its place.
  expect(after.reminders).toHaveLength(1);
  const snoozed = await later();
  // One hour from the click (the server's clock; a minute either side for the round trip).
  expect(Math.abs(snoozed[0] - clicked - 3_600_000)).toBeLessThan(60_000);
  // The notification is gone; the token was single-use: a second Snooze is refused.
  await expect.poll(async () => (await shownNotifications(page)).length).toBe(0);
  const again = await page.request.post(`${server.url}/api/push/actions`, {
    data: { actionToken: payload.actionToken, action: 'snooze' },
  });
  expect(again.status()).toBe(410);
});

test("pushsubscriptionchange: the worker moves the reminders to the browser's new subscription", async ({
  page,
  server,
  receiver,
}) => {
  await signUpWithNotifications(page, server, receiver, 'renew');
  const old = receiver.subscription();
  const renewed = { ...old, endpoint: old.endpoint.replace('/browser-1', '/browser-2') };
  const worker = page.context().serviceWorkers()[0] ?? (await page.context().waitForEvent('serviceworker'));
  await worker.evaluate(
    ([old, renewed]) => {
      // Records the worker's own answer from the server (its requests are not the page's).
      const fetched = self.fetch.bind(self);
      (self as any).fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetched(input, init);
        if (String(input).endsWith('/api/push/subscriptions/renew')) (self as any).renewStatus = response.status;
        return response;
      };
      const event = new (self as any).ExtendableEvent('pushsubscriptionchange');
      Object.defineProperty(event, 'oldSubscription', { value: { toJSON: () => old } });
      Object.defineProperty(event, 'newSubscription', { value: { toJSON: () => renewed } });
      self.dispatchEvent(event);
    },
    [old, renewed],
  );
  await expect.poll(() => worker.evaluate(() => (self as any).renewStatus)).toBe(200);

  await api(page, 'POST', '/api/todos', { title: 'Take the bins out', reminders: [{ at: new Date(Date.now() + 1500).toISOString() }] });
  await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBeGreaterThan(0);
  expect(receiver.received.map((r) => r.url)).toEqual(['/push/browser-2']);
  expect(JSON.parse(receiver.decrypt(receiver.received[0].body)).title).toBe('Take the bins out');
});

test('Settings → Notifications subscribes and unsubscribes this browser', async ({ page, server, receiver }) => {
  const [stub, subscription] = stubPushManager(receiver.subscription());
  await page.addInitScript(stub, subscription);
  await signUp(page, server, uniqueEmail('settings'));
  await page.getByRole('button', { name: 'Settings' }).click();
  const toggle = page.getByLabel('Reminders in this browser');
  await expect(toggle).not.toBeChecked();
  await expect(toggle).toBeEnabled();

  const saved = page.waitForRequest((r) => r.url().endsWith('/api/push/subscriptions') && r.method() === 'POST');
  await toggle.check();
  const request = await saved;
  expect(request.postDataJSON()).toEqual(subscription);
  expect((await request.response())!.status()).toBe(201);
  await expect(toggle).toBeChecked();
  // The server's key went to subscribe(): an uncompressed P-256 point is 65 bytes.
  expect(await page.evaluate(() => (window as any).pushCalls)).toEqual([['subscribe', true, 65]]);

  const removed = page.waitForRequest((r) => r.url().endsWith('/api/push/subscriptions') && r.method() === 'DELETE');
  await toggle.uncheck();
  const deletion = await removed;
  expect(deletion.postDataJSON()).toEqual({ endpoint: subscription.endpoint });
  expect((await deletion.response())!.status()).toBe(204);
  await expect(toggle).not.toBeChecked();

  // Signing out ends this browser's notifications too.
  await toggle.check();
  await expect(toggle).toBeChecked();
  const signedOut = page.waitForRequest((r) => r.url().endsWith('/api/push/subscriptions') && r.method() === 'DELETE');
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect((await signedOut).postDataJSON()).toEqual({ endpoint: subscription.endpoint });
  await expect(page.getByText('You have signed out.')).toBeVisible();
});

test('Settings says so when notifications are blocked or the browser has no Push API', async ({ page, server }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Notification, 'permission', { get: () => 'denied' });
  });
  await signUp(page, server, uniqueEmail('blocked'));
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText(/Notifications are blocked for Tasko in this browser/)).toBeVisible();
  await expect(page.getByLabel('Reminders in this browser')).toBeDisabled();

  const other = await page.context().newPage();
  await other.addInitScript(() => {
    delete (window as any).PushManager;
  });
  await other.goto(server.url);
  await other.getByRole('button', { name: 'Settings' }).click();
  await expect(other.getByText(/This browser cannot receive push notifications/)).toBeVisible();
  await expect(other.getByLabel('Reminders in this browser')).toBeDisabled();
});

test('the reminders editor adds and removes reminders, and a row shows a bell', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('editor'));
  const todo = (await api(page, 'POST', '/api/todos', { title: 'Pay rent' })).body;
  await page.reload();
  const row = page.locator('.todo-list li', { hasText: 'Pay rent' });
  await row.getByRole('button', { name: 'Details of Pay rent' }).click();
  const editor = page.getByRole('group', { name: 'Reminders' });
  // Before the due time needs a due date: said, and nothing added.
  await editor.getByLabel('New reminder').selectOption('before');
  await editor.getByRole('button', { name: 'Add reminder' }).click();
  await expect(editor.getByRole('alert')).toHaveText(/Set a due date first/);

  await page.getByLabel('Due date').fill('2030-03-05');
  await editor.getByLabel('How long before').fill('2');
  await editor.getByLabel('Unit').selectOption('hours');
  await editor.getByRole('button', { name: 'Add reminder' }).click();
  await editor.getByLabel('New reminder').selectOption('due');
  await editor.getByRole('button', { name: 'Add reminder' }).click();
  await editor.getByLabel('New reminder').selectOption('at');
  await editor.getByLabel('Remind at').fill('2030-03-04T18:30');
  await editor.getByRole('button', { name: 'Add reminder' }).click();
  await expect(editor.getByRole('listitem')).toHaveText([/2 hours before/, /At the due time/, /At Mar 4, 18:30/]);
  await editor.getByRole('button', { name: 'Remove reminder At the due time' }).click();
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(row.getByRole('img', { name: '2 reminders' })).toBeVisible();
  const saved = (await api(page, 'GET', `/api/todos/${todo.id}`)).body;
  const at = await page.evaluate(() => new Date('2030-03-04T18:30').toISOString());
  expect(saved.reminders).toEqual([{ beforeMinutes: 120 }, { at: expect.stringMatching(/^2030-03-04T/) }]);
  expect(new Date(saved.reminders[1].at).toISOString()).toBe(at);

  // At most five.
  await row.getByRole('button', { name: 'Details of Pay rent' }).click();
  for (const n of ['5', '10', '15']) {
    await editor.getByLabel('New reminder').selectOption('before');
    await editor.getByLabel('How long before').fill(n);
    await editor.getByLabel('Unit').selectOption('minutes');
    await editor.getByRole('button', { name: 'Add reminder' }).click();
  }
  await expect(editor.getByText('At most 5 reminders.')).toBeVisible();
  await expect(editor.getByRole('button', { name: 'Add reminder' })).toHaveCount(0);
});

/** A copy of `dist` as another build would name it: every content hash changed. */
function anotherBuild(dist: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'tasko-dist-b-'));
  cpSync(dist, copy, { recursive: true });
  let index = readFileSync(join(copy, 'index.html'), 'utf8');
  const hashes = new Set([...index.matchAll(/frontend-([0-9a-f]{12,16})/g)].map((m) => m[1]));
  for (const hash of hashes) {
    const next = [...hash].map((c) => ((parseInt(c, 16) + 1) % 16).toString(16)).join('');
    index = index.split(hash).join(next);
    for (const name of readdirSync(copy)) {
      if (name.includes(hash)) renameSync(join(copy, name), join(copy, name.split(hash).join(next)));
    }
  }
  // Written with their precompressed copies, which the server prefers.
  const write = (name: string, text: string) => {
    writeFileSync(join(copy, name), text);
    writeFileSync(join(copy, `${name}.br`), brotliCompressSync(text));
    writeFileSync(join(copy, `${name}.gz`), gzipSync(text));
  };
  write('index.html', index);
  // The new build's worker differs too; the page must get it on its next load.
  write('sw.js', readFileSync(join(copy, 'sw.js'), 'utf8') + '\nself.taskoBuild = "B";\n');
  return copy;
}

test('a new build is picked up on the next load: its index, its wasm and its worker', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const wasmLoaded: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmLoaded.push(new URL(r.url()).pathname);
  });
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Create an account' })).toBeVisible();
  await workerReady(page);
  const first = [...wasmLoaded];
  expect(first).toHaveLength(1);

  const distB = anotherBuild(process.env.TASKO_DIST ?? '../dist');
  try {
    server.extraEnv.DIST_DIR = distB;
    await server.restart();
    wasmLoaded.length = 0;
    await page.reload();
    await expect(page.getByRole('button', { name: 'Create an account' })).toBeVisible();
    expect(wasmLoaded).toHaveLength(1);
    expect(wasmLoaded[0]).not.toBe(first[0]);
    expect(existsIn(distB, wasmLoaded[0])).toBe(true);
    // The new worker took over (it holds nothing an old page needs).
    await expect
      .poll(async () => {
        for (const worker of page.context().serviceWorkers()) {
          if (await worker.evaluate(() => (self as any).taskoBuild).catch(() => undefined)) return 'B';
        }
        return 'A';
      })
      .toBe('B');
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    rmSync(distB, { recursive: true, force: true });
  }
});

function existsIn(dir: string, path: string): boolean {
  return readdirSync(dir).includes(path.replace(/^\//, ''));
}
