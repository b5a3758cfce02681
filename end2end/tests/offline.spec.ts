// Offline (issue 28): the service worker keeps the app shell, the app keeps the user's list
// in IndexedDB, so a reload without a network opens the app with the list as last seen and
// says it is offline; back online the server's list replaces it. A second load takes no
// wasm from the network. Signing out forgets what was kept.
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors } from './fixtures';
import type { Page } from '@playwright/test';

async function shellCached(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const meta = await caches.open('tasko-meta');
    const marked = await meta.match('/__tasko-current-shell');
    if (!marked) return false;
    const shell = await caches.open(await marked.text());
    return (await shell.keys()).some((r) => r.url.endsWith('.wasm'));
  });
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
  await signUp(page, server, uniqueEmail('offline'));
  expect((await api(page, 'POST', '/api/todos', { title: 'Pack the tent', dateDue: '2031-01-02' })).status).toBe(201);
  expect((await api(page, 'POST', '/api/todos', { title: 'Buy gas' })).status).toBe(201);
  await page.reload();
  await expect(item(page, 'Buy gas')).toBeVisible();
  await expect.poll(() => shellCached(page), { timeout: 20_000 }).toBe(true);
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
