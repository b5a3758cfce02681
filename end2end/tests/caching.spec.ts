// The first page load is compressed and the second transfers no wasm at all: Trunk's hashed
// files are immutable for a year and come from the browser's cache or, once the service
// worker controls the page, from its shell cache; index.html and config.json are revalidated.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

type Seen = { url: string; cached: boolean; fromWorker: boolean; bytes: number; encoding?: string };

async function watchWasm(page: Page): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', (e) => {
    if (!e.response.url.endsWith('.wasm')) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    seen.set(e.requestId, {
      url: e.response.url,
      cached: Boolean(e.response.fromDiskCache || e.response.fromMemoryCache),
      fromWorker: Boolean(e.response.fromServiceWorker),
      bytes: 0,
      encoding: headers['content-encoding'],
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const entry = seen.get(e.requestId);
    if (entry) entry.bytes = e.encodedDataLength;
  });
  return seen;
}

test('the wasm arrives compressed once, then comes from the cache', async ({ page, server }) => {
  const seen = await watchWasm(page);
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Create an account' })).toBeVisible();
  await expect.poll(() => [...seen.values()].filter((s) => s.bytes > 0).length).toBe(1);
  const [first] = [...seen.values()];
  expect(first.cached).toBe(false);
  expect(first.encoding).toBe('br');
  expect(first.bytes).toBeLessThan(600_000); // about a third of the wasm's size

  // The service worker has cached this build and controls the page: the next load's wasm
  // comes from its cache (else from the browser's).
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const marked = await (await caches.open('tasko-meta')).match('/__tasko-current-shell');
        return Boolean(marked && navigator.serviceWorker.controller);
      }),
    )
    .toBe(true);
  seen.clear();
  await page.goto(`${server.url}/?again`);
  await expect(page.getByRole('button', { name: 'Create an account' })).toBeVisible();
  await expect.poll(() => seen.size).toBeGreaterThan(0);
  for (const wasm of seen.values()) {
    // From the browser's cache (no bytes over the network), or from the worker's cache.
    expect(wasm.cached || wasm.fromWorker, wasm.url).toBe(true);
    if (!wasm.fromWorker) expect(wasm.bytes, wasm.url).toBe(0);
  }

  const index = await page.request.get(`${server.url}/`, { headers: { 'Accept-Encoding': 'br' } });
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(index.headers()['vary']).toContain('accept-encoding');
  const config = await page.request.get(`${server.url}/config.json`);
  expect(config.headers()['cache-control']).toBe('no-cache');
  expect(config.headers()['etag']).toBeTruthy();
});
