// `make bench`'s app-shell row (issue 28): Tasko loaded twice in Chromium, the second time
// with the service worker in control. Prints how many wasm bytes came over the network each
// time and how many responses the worker answered from its cache on the second load.
// Usage: node bench/second-load.mjs <base URL>   (Playwright from end2end/node_modules)
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const base = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await (await browser.newContext()).newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Network.enable');
let seen = new Map();
cdp.on('Network.responseReceived', (e) => {
  seen.set(e.requestId, { url: e.response.url, worker: Boolean(e.response.fromServiceWorker), bytes: 0 });
});
cdp.on('Network.loadingFinished', (e) => {
  const entry = seen.get(e.requestId);
  if (entry) entry.bytes = e.encodedDataLength;
});
const load = async (path) => {
  seen = new Map();
  await page.goto(`${base}${path}`);
  await page.getByRole('button', { name: 'Create an account' }).waitFor();
  await page.waitForTimeout(500);
  const all = [...seen.values()];
  const wasm = all.filter((r) => r.url.endsWith('.wasm') && !r.worker);
  return {
    wasmBytes: wasm.reduce((n, r) => n + r.bytes, 0),
    networkBytes: all.filter((r) => !r.worker).reduce((n, r) => n + r.bytes, 0),
    fromWorker: all.filter((r) => r.worker).length,
  };
};
const first = await load('/');
// The worker has cached this build and controls the page.
await page.waitForFunction(async () => {
  const marked = await (await caches.open('tasko-meta')).match('/__tasko-current-shell');
  return Boolean(marked && navigator.serviceWorker.controller);
}, null, { timeout: 30_000 });
const second = await load('/?again');
await browser.close();
console.log('| load | wasm bytes over the network | all bytes over the network | answered by the service worker |');
console.log('| --- | --- | --- | --- |');
console.log(`| first (no worker yet) | ${first.wasmBytes} | ${first.networkBytes} | ${first.fromWorker} |`);
console.log(`| second (the worker's shell cache) | ${second.wasmBytes} | ${second.networkBytes} | ${second.fromWorker} |`);
