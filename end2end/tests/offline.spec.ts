// Offline (issue 28): the service worker keeps the app shell, the app keeps the user's list
// in IndexedDB, so a reload without a network opens the app with the list as last seen and
// says it is offline; back online the server's list replaces it. A second load takes no
// wasm from the network. Signing out forgets what was kept.
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors, type TaskoServer } from './fixtures';
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function shellCached(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const meta = await caches.open('tasko-meta');
    const marked = await meta.match('/__tasko-current-shell');
    if (!marked) return false;
    const shell = await caches.open(await marked.text());
    // The app's wasm and the markdown module it imports when it first needs it.
    const kept = (await shell.keys()).map((r) => new URL(r.url).pathname);
    return kept.some((p) => /^\/frontend-.*\.wasm$/.test(p)) && kept.includes('/markdown_bg.wasm');
  });
}

/**
 * Signs up a new user and makes `todos` through the API (each answered 201), then reloads:
 * the page shows them. With `offline`, also waits until the service worker keeps this
 * build's shell, so the app opens without a network. Answers the todos as made.
 */
async function userWithTodos(
  page: Page,
  server: TaskoServer,
  name: string,
  todos: object[],
  { offline = false } = {},
): Promise<any[]> {
  await signUp(page, server, uniqueEmail(name));
  const made = [];
  for (const todo of todos) {
    const answer = await api(page, 'POST', '/api/todos', todo);
    expect(answer.status).toBe(201);
    made.push(answer.body);
  }
  await page.reload();
  for (const todo of made) await expect(item(page, todo.title)).toBeVisible();
  if (offline) await expect.poll(() => shellCached(page), { timeout: 20_000 }).toBe(true);
  return made;
}

/** Renames `from` to `to` through its row's Edit field (Enter saves). */
async function rename(page: Page, from: string, to: string): Promise<void> {
  await item(page, from).getByRole('button', { name: `Edit ${from}`, exact: true }).click();
  const edit = page.locator('.todo.editing input.edit');
  await edit.fill(to);
  await edit.press('Enter');
}

async function keptRecords(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('tasko-offline', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('snapshots');
        open.onsuccess = () => {
          const count = open.result.transaction('snapshots').objectStore('snapshots').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );
}

test('offline: a reload shows the list kept here, online again the server’s; sign-out forgets it', async ({
  page,
  server,
  context,
}) => {
  const errors = watchForErrors(page);
  const todos = [{ title: 'Pack the tent', dateDue: '2031-01-02' }, { title: 'Buy gas' }];
  await userWithTodos(page, server, 'offline', todos, { offline: true });
  await expect.poll(() => keptRecords(page)).toBeGreaterThanOrEqual(2);

  // A second load online: the wasm comes from the worker's cache, not the network.
  const wasm: boolean[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(r.fromServiceWorker());
  });
  await page.reload();
  await expect(item(page, 'Buy gas')).toBeVisible();
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.every((fromWorker) => fromWorker)).toBe(true);

  // Offline: the app opens with the list as last seen, and says so.
  await context.setOffline(true);
  await page.reload();
  await expect(item(page, 'Pack the tent')).toBeVisible();
  await expect(item(page, 'Buy gas')).toBeVisible();
  await expect(page.getByText('You are offline')).toBeVisible();
  // The assistant needs the network: the chat says so and keeps the message.
  const chatInput = page.getByLabel('Message the assistant');
  await chatInput.fill('list my todos');
  await chatInput.press('Enter');
  await expect(page.getByText('The assistant needs a connection')).toBeVisible();
  await expect(chatInput).toHaveValue('list my todos');

  // Meanwhile another device adds one; online again, live sync brings it and the notice goes.
  await context.setOffline(false);
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tasko.session')!).id_token);
  const added = await page.request.post(`${server.url}/api/todos`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: 'Charge the lamp' },
  });
  expect(added.status()).toBe(201);
  await expect(item(page, 'Charge the lamp')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('You are offline')).toBeHidden();

  // Signing out forgets the list kept on this browser.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  expect(await keptRecords(page)).toBe(0);
  // The network's refusals while offline are expected; nothing else went wrong.
  expect(errors.filter((e) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|net::/.test(e))).toEqual([]);
});

async function titlesOnServer(page: Page, server: { url: string }): Promise<Record<string, any>> {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tasko.session')!).id_token);
  const answer = await page.request.get(`${server.url}/api/todos`, { headers: { Authorization: `Bearer ${token}` } });
  expect(answer.status()).toBe(200);
  const list = await answer.json();
  return Object.fromEntries(list.map((t: any) => [t.title, t]));
}

async function goOnline(page: Page) {
  await page.context().setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

test('offline changes are queued, survive a browser restart, and reach the server exactly once', async ({
  server,
}, testInfo) => {
  // A browser with a profile on disk, closed and started again: only what the profile kept
  // (the service worker's shell, IndexedDB, the session) is there the second time.
  const profile = mkdtempSync(join(tmpdir(), 'tasko-restart-'));
  const launch = () => chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions });
  let browser = await launch();
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const titles = ['Call the bank', 'Water the ferns', 'Old flyer'];
    await userWithTodos(page, server, 'queue', titles.map((title) => ({ title })), { offline: true });

    await browser.setOffline(true);
    // Add, complete, rename and delete without a network: each shown at once, marked.
    const input = page.getByLabel('New todo');
    await input.fill('Buy stamps');
    await input.press('Enter');
    await expect(item(page, 'Buy stamps')).toContainText('Not synced');
    await item(page, 'Water the ferns').getByRole('checkbox', { name: /Mark Water the ferns as complete/ }).check();
    await rename(page, 'Call the bank', 'Call the bank about fees');
    await expect(item(page, 'Call the bank about fees')).toContainText('Not synced');
    await item(page, 'Old flyer').getByRole('button', { name: 'Delete Old flyer' }).click();
    await expect(item(page, 'Old flyer')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'changes waiting' })).toContainText('4 changes waiting');

    // The browser restarts, still without a network: the app opens from the shell it kept,
    // with the queue.
    await browser.close();
    browser = await launch();
    await browser.setOffline(true);
    const again = browser.pages()[0] ?? (await browser.newPage());
    await again.goto(server.url);
    await expect(item(again, 'Buy stamps')).toContainText('Not synced');
    await expect(item(again, 'Call the bank about fees')).toBeVisible();
    await expect(item(again, 'Old flyer')).toHaveCount(0);
    await expect(again.getByText('4 changes waiting')).toBeVisible();
    // Nothing reached the server yet (the test's own HTTP client is not offline).
    expect(Object.keys(await titlesOnServer(again, server))).not.toContain('Buy stamps');

    // Online again: the queue is sent in order, once.
    await goOnline(again);
    await expect(again.getByText('changes waiting')).toHaveCount(0, { timeout: 20_000 });
    await expect(item(again, 'Buy stamps')).not.toContainText('Not synced');
    const onServer = await titlesOnServer(again, server);
    expect(Object.keys(onServer).sort()).toEqual(['Buy stamps', 'Call the bank about fees', 'Water the ferns']);
    expect(onServer['Water the ferns'].completed).toBe(true);
    expect(onServer['Buy stamps'].version).toBe(1);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a todo renamed offline here and online elsewhere shows both versions and keeps the chosen one', async ({
  page,
  server,
  context,
  request,
}) => {
  const [made] = await userWithTodos(page, server, 'conflict', [{ title: 'Book flights' }], { offline: true });

  await context.setOffline(true);
  await rename(page, 'Book flights', 'Book flights to Lisbon');
  await expect(page.getByText('1 change waiting')).toBeVisible();

  // Meanwhile, online on another device (the test's own HTTP client, outside the browser).
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tasko.session')!).id_token);
  const elsewhere = await request.patch(`${server.url}/api/todos/${made.id}`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: 'Book flights to Porto', version: made.version },
  });
  expect(elsewhere.status()).toBe(200);

  await goOnline(page);
  const card = page.getByRole('group', { name: /Conflict/ });
  await expect(card).toContainText('was changed elsewhere while you were offline', { timeout: 20_000 });
  await expect(card.getByRole('row', { name: /Title/ })).toContainText('Book flights to Lisbon');
  await expect(card.getByRole('row', { name: /Title/ })).toContainText('Book flights to Porto');
  // Nothing was overwritten before the choice.
  expect(Object.keys(await titlesOnServer(page, server))).toEqual(['Book flights to Porto']);
  await card.getByRole('button', { name: 'Keep mine' }).click();
  await expect(card).toHaveCount(0);
  await expect(item(page, 'Book flights to Lisbon')).toBeVisible();
  expect(Object.keys(await titlesOnServer(page, server))).toEqual(['Book flights to Lisbon']);
});

// A seeded generator: the same run every time, and a failure names its seed.
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('a flaky network never duplicates or loses a change (50 random operations)', async ({ page, server }) => {
  test.setTimeout(180_000);
  const seed = 20261206;
  const random = lcg(seed);
  await signUp(page, server, uniqueEmail('flaky'));
  const model = new Map<string, boolean>(); // title -> completed
  for (let n = 0; n < 4; n++) {
    expect((await api(page, 'POST', '/api/todos', { title: `Seed ${n}` })).status).toBe(201);
    model.set(`Seed ${n}`, false);
  }
  await page.reload();
  await expect(item(page, 'Seed 3')).toBeVisible();

  // Requests to /api/todos fail at random: before the server sees them (abort), or after
  // it answered, with the answer lost (fetch, then abort): the case idempotency is for.
  let failures = 0;
  await page.route('**/api/todos**', async (route) => {
    const roll = random();
    // The page may give up on a request meanwhile (a poll replaced): then the route is
    // handled already, and there is nothing left to answer.
    try {
      if (roll < 0.15) {
        failures++;
        return await route.abort('failed');
      }
      const response = await route.fetch();
      if (roll < 0.3) {
        failures++;
        return await route.abort('failed');
      }
      return await route.fulfill({ response });
    } catch (e) {
      if (!/already handled|Target page|closed/.test(String(e))) throw e;
    }
  });

  // Each operation's writes are answered (or failed) before the next: what is checked is
  // what the failures do, not two edits of one todo racing each other.
  let writes = 0;
  const isWrite = (r: { method(): string; url(): string }) => r.method() !== 'GET' && r.url().includes('/api/todos');
  page.on('request', (r) => isWrite(r) && writes++);
  page.on('requestfinished', (r) => isWrite(r) && writes--);
  page.on('requestfailed', (r) => isWrite(r) && writes--);
  const settled = () => expect.poll(() => writes, { timeout: 20_000 }).toBe(0);

  let next = 0;
  for (let step = 0; step < 50; step++) {
    await settled();
    const titles = [...model.keys()];
    const pick = () => titles[Math.floor(random() * titles.length)];
    const kind = titles.length === 0 ? 0 : Math.floor(random() * 4);
    if (kind === 0) {
      const title = `New ${next++}`;
      const input = page.getByLabel('New todo');
      await input.fill(title);
      await input.press('Enter');
      await expect(item(page, title)).toBeVisible();
      model.set(title, false);
    } else if (kind === 1) {
      const title = pick();
      const done = model.get(title)!;
      const box = item(page, title).getByRole('checkbox', { name: `Mark ${title} as complete` });
      await (done ? box.uncheck() : box.check());
      await expect(box).toBeChecked({ checked: !done });
      model.set(title, !done);
    } else if (kind === 2) {
      const title = pick();
      const renamed = `${title}+`;
      await rename(page, title, renamed);
      await expect(item(page, renamed)).toBeVisible();
      model.set(renamed, model.get(title)!);
      model.delete(title);
    } else {
      const title = pick();
      await item(page, title).getByRole('button', { name: `Delete ${title}`, exact: true }).click();
      await expect(item(page, title)).toHaveCount(0);
      model.delete(title);
    }
  }
  expect(failures).toBeGreaterThan(5);

  // The network heals: everything waiting is sent, and the server has exactly the model.
  // (The last operation's writes first: a request routed while the route is removed is
  // never answered.)
  await settled();
  await page.unroute('**/api/todos**');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('group', { name: /Conflict/ })).toHaveCount(0);
  await expect
    .poll(async () => {
      const onServer = await titlesOnServer(page, server);
      return Object.entries(onServer)
        .map(([title, t]) => `${title}:${t.completed}`)
        .sort();
    }, { timeout: 20_000, message: `seed ${seed}` })
    .toEqual([...model.entries()].map(([title, done]) => `${title}:${done}`).sort());
});

test('two quick edits of one todo, the first still unanswered, both reach the server without a conflict', async ({
  page,
  server,
}) => {
  const errors = watchForErrors(page);
  await userWithTodos(page, server, 'quick-edits', [{ title: 'Pay rent' }]);
  // The server applies the first edit at once; its answer reaches the page a moment later,
  // after the second edit was made on the version the page still shows.
  let patches = 0;
  await page.route(/\/api\/todos\/[^/?]+$/, async (route) => {
    if (route.request().method() !== 'PATCH' || patches++ > 0) return route.continue();
    const response = await route.fetch();
    await new Promise((done) => setTimeout(done, 1_500));
    await route.fulfill({ response }).catch(() => {});
  });
  await rename(page, 'Pay rent', 'Pay rent by Friday');
  await item(page, 'Pay rent').getByRole('checkbox', { name: /Mark Pay rent as complete/ }).check();

  const row = item(page, 'Pay rent by Friday');
  await expect(row).toBeVisible();
  await expect(row.getByRole('checkbox')).toBeChecked();
  await expect(row).not.toContainText('Not synced');
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0);
  const onServer = await titlesOnServer(page, server);
  expect(onServer['Pay rent by Friday'].completed).toBe(true);
  expect(onServer['Pay rent by Friday'].version).toBe(3);
  // No conflict card, no "reloaded" error: the second edit was sent on the first's answer.
  await expect(page.locator('.conflict')).toHaveCount(0);
  await expect(page.getByText(/has been reloaded/)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an edit the server cannot take now (503) waits, says so, and is sent again', async ({ page, server }) => {
  await userWithTodos(page, server, 'busy', [{ title: 'Renew passport' }]);
  // The edit and its first replay are refused as a busy server refuses them.
  let refused = 0;
  await page.route(/\/api\/todos\/[^/?]+$/, async (route) => {
    if (route.request().method() === 'PATCH' && refused < 2) {
      refused++;
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'unavailable', message: 'The server is busy.' }),
      });
    }
    await route.continue();
  });
  await item(page, 'Renew passport').getByRole('checkbox', { name: /Mark Renew passport as complete/ }).check();
  await expect(page.getByText('Your changes are waiting: The server is busy.')).toBeVisible();
  await expect(item(page, 'Renew passport')).toContainText('Not synced');
  expect((await titlesOnServer(page, server))['Renew passport'].completed).toBe(false);
  // The next try (live sync's poll; here at once) sends it: on the server once, the note gone.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByText('Your changes are waiting')).toHaveCount(0);
  const now = (await titlesOnServer(page, server))['Renew passport'];
  expect(now.completed).toBe(true);
  expect(now.version).toBe(2);
  expect(refused).toBe(2);
});

test('a delete made offline is taken back by its Undo before it is ever sent', async ({ page, server, context }) => {
  await userWithTodos(page, server, 'undo-offline', [{ title: 'Recycle batteries' }], { offline: true });

  await context.setOffline(true);
  await item(page, 'Recycle batteries').getByRole('button', { name: 'Delete Recycle batteries' }).click();
  await expect(item(page, 'Recycle batteries')).toHaveCount(0);
  await expect(page.getByText('1 change waiting')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(item(page, 'Recycle batteries')).toBeVisible();
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0);

  // Online again, nothing is sent: the todo was never deleted.
  await goOnline(page);
  await page.reload();
  await expect(item(page, 'Recycle batteries')).toBeVisible();
  const onServer = (await titlesOnServer(page, server))['Recycle batteries'];
  expect(onServer.version).toBe(1);
});

test('a change to a todo deleted elsewhere restores it; a delete of a todo changed elsewhere is made only when asked', async ({
  page,
  server,
  context,
  request,
}) => {
  const [parcel, receipts] = await userWithTodos(
    page,
    server,
    'gone',
    [{ title: 'Pick up parcel' }, { title: 'Old receipts' }],
    { offline: true },
  );

  await context.setOffline(true);
  await rename(page, 'Pick up parcel', 'Pick up parcel at 5');
  await item(page, 'Old receipts').getByRole('button', { name: 'Delete Old receipts' }).click();
  await expect(page.getByText('2 changes waiting')).toBeVisible();

  // Elsewhere meanwhile: the parcel todo is deleted, the receipts renamed.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tasko.session')!).id_token);
  const headers = { Authorization: `Bearer ${token}` };
  expect((await request.delete(`${server.url}/api/todos/${parcel.id}`, { headers })).status()).toBe(204);
  const renamed = await request.patch(`${server.url}/api/todos/${receipts.id}`, {
    headers,
    data: { title: 'Old receipts for taxes', version: receipts.version },
  });
  expect(renamed.status()).toBe(200);

  await goOnline(page);
  const restore = page.getByRole('group', { name: 'Conflict: Pick up parcel' });
  await expect(restore).toContainText('was deleted elsewhere while you changed it offline', { timeout: 20_000 });
  const remove = page.getByRole('group', { name: 'Conflict: Old receipts for taxes' });
  await expect(remove).toContainText('was changed elsewhere; you deleted it offline');
  // Nothing happened before the choices.
  expect(Object.keys(await titlesOnServer(page, server))).toEqual(['Old receipts for taxes']);

  await restore.getByRole('button', { name: 'Restore it with my change' }).click();
  await expect(restore).toHaveCount(0);
  await expect(item(page, 'Pick up parcel at 5')).toBeVisible();
  await remove.getByRole('button', { name: 'Delete it anyway' }).click();
  await expect(remove).toHaveCount(0);
  await expect(item(page, 'Old receipts for taxes')).toHaveCount(0);
  const onServer = await titlesOnServer(page, server);
  expect(Object.keys(onServer)).toEqual(['Pick up parcel at 5']);
  expect(onServer['Pick up parcel at 5'].id).toBe(parcel.id);
});

test('a checklist edited and reordered offline reaches the server in its new order, its steps kept', async ({
  page,
  server,
  context,
}) => {
  const [made] = await userWithTodos(
    page,
    server,
    'steps-offline',
    [{ title: 'Pack for the trip', subtasks: [{ title: 'passport' }, { title: 'charger' }] }],
    { offline: true },
  );

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Details of Pack for the trip' }).click();
  await page.getByRole('checkbox', { name: 'Step 1 done: passport' }).check();
  await page.getByRole('button', { name: 'Move step 2 up' }).click();
  const step = page.getByLabel('Add a step');
  await step.fill('toothbrush');
  await step.press('Enter');
  await page.getByRole('button', { name: 'Save' }).click();
  const row = item(page, 'Pack for the trip');
  await expect(row).toContainText('Not synced');
  await expect(row.locator('.progress')).toHaveText('1/3');

  await goOnline(page);
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0, { timeout: 20_000 });
  await expect(row).not.toContainText('Not synced');
  const after = (await titlesOnServer(page, server))['Pack for the trip'];
  expect(after.subtasks.map((s: any) => [s.title, s.done])).toEqual([
    ['charger', false],
    ['passport', true],
    ['toothbrush', false],
  ]);
  // The steps that were there keep their ids, in their new order.
  expect(after.subtasks.slice(0, 2).map((s: any) => s.id)).toEqual([
    made.subtasks[1].id,
    made.subtasks[0].id,
  ]);
});

test('a reload asks with the kept list’s ETag: unchanged, the server answers 304 and the kept list stays', async ({
  page,
  server,
}) => {
  await userWithTodos(page, server, 'etag', [{ title: 'Feed the cat' }]);
  // The list (and the lists) are kept with their tags once the server's answer is in.
  await expect.poll(() => keptRecords(page)).toBeGreaterThanOrEqual(2);

  const firstAnswer = (path: string) =>
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'GET');
  const todos = firstAnswer('/api/todos');
  const lists = firstAnswer('/api/lists');
  await page.reload();
  expect((await todos).status()).toBe(304);
  expect((await lists).status()).toBe(304);
  await expect(item(page, 'Feed the cat')).toBeVisible();

  // Changed elsewhere: the next load's answer is the new list, and it is shown.
  expect((await api(page, 'POST', '/api/todos', { title: 'Buy cat food' })).status).toBe(201);
  const changed = firstAnswer('/api/todos');
  await page.reload();
  expect((await changed).status()).toBe(200);
  await expect(item(page, 'Buy cat food')).toBeVisible();
  await expect(item(page, 'Feed the cat')).toBeVisible();
});

test('an offline delete undone while the queue is sending it comes back, on the server too', async ({
  page,
  server,
  context,
}) => {
  const errors = watchForErrors(page);
  await userWithTodos(page, server, 'undo-in-flight', [{ title: 'Return library books' }], { offline: true });

  await context.setOffline(true);
  await item(page, 'Return library books').getByRole('button', { name: 'Delete Return library books' }).click();
  await expect(page.getByText('1 change waiting')).toBeVisible();
  // Back online, the queue sends the delete; the server's answer waits until after Undo.
  let answer!: () => void;
  const undone = new Promise<void>((done) => (answer = done));
  await page.route(/\/api\/todos\/[^/]+$/, async (route) => {
    if (route.request().method() === 'DELETE') await undone;
    await route.continue().catch(() => {});
  });
  const sent = page.waitForRequest((r) => r.method() === 'DELETE');
  await goOnline(page);
  await sent;
  await page.getByRole('button', { name: 'Undo' }).click();
  answer();

  await expect(item(page, 'Return library books')).toBeVisible();
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0);
  await expect
    .poll(async () => Object.keys(await titlesOnServer(page, server)))
    .toEqual(['Return library books']);
  await page.reload();
  await expect(item(page, 'Return library books')).toBeVisible();
  expect(errors.filter((e) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|net::/.test(e))).toEqual([]);
});

test('a write the server never answers is given up after 20 s, queued and sent again', async ({ page, server }) => {
  test.setTimeout(90_000);
  await userWithTodos(page, server, 'hung', [{ title: 'Call the plumber' }]);
  // The first PATCH is never answered (a dead connection); later ones go through.
  let patches = 0;
  await page.route(/\/api\/todos\/[^/]+$/, async (route) => {
    if (route.request().method() === 'PATCH' && patches++ === 0) return;
    await route.continue().catch(() => {});
  });
  const box = item(page, 'Call the plumber').getByRole('checkbox', { name: /Mark Call the plumber as complete/ });
  await box.click();
  // Unanswered: nothing reaches the server while the page waits for it.
  await page.waitForTimeout(3_000);
  expect((await titlesOnServer(page, server))['Call the plumber'].completed).toBe(false);
  // Given up after 20 s, it is queued and sent again at once.
  await expect
    .poll(async () => (await titlesOnServer(page, server))['Call the plumber'].completed, { timeout: 40_000 })
    .toBe(true);
  await expect(page.getByText(/changes? waiting/)).toHaveCount(0);
  await expect(item(page, 'Call the plumber')).not.toContainText('Not synced');
  expect((await titlesOnServer(page, server))['Call the plumber'].version).toBe(2);
  expect(patches).toBe(2);
});
