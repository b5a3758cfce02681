// Tasko's service worker, served at /sw.js (root scope) and registered by the app at start
// (app/src/ui/reminders/pwa.js). It shows reminders delivered by Web Push and runs their
// actions without opening the app.
//
// It also keeps the app shell for offline use (issue 28): at install it fetches index.html,
// and caches it with every file it names (the hashed js, wasm, css, the snippets, the icons)
// in a cache named after that index (`tasko-shell-<digest>`). Navigations go to the network
// first and fall back to the cached index; the hashed files come from the cache. The index
// and its files are always of one build: a newer index seen online is cached whole, with
// its files, in a cache of its own, and only then becomes the one answered offline; the
// caches of older builds are dropped. The API is never cached here (the app keeps its own
// data per user in IndexedDB), nor is anything of another origin.

const SHELL = 'tasko-shell-';
const META = 'tasko-meta';
const CURRENT = '/__tasko-current-shell';
// How long a navigation waits for the network before the cached index is shown.
const NAVIGATION_TIMEOUT_MS = 4000;
// Modules the app imports when it needs them (not named by the index): cached with each
// build's shell for offline use, asked of the network first (their names carry no hash).
const LAZY_MODULES = ['/markdown.js', '/markdown_bg.wasm'];

self.addEventListener('install', (event) => {
  // A new worker takes over at once; caching failures (offline at install) do not stop it.
  event.waitUntil(cacheShell().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(dropOldShells().then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The app's own page only: the sign-in and consent pages are the server's, not the shell.
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(navigation(request, event));
  } else if (url.pathname === '/config.json' || LAZY_MODULES.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (isShellFile(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

function isShellFile(path) {
  return (
    /^\/[\w.-]+-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$/.test(path) ||
    path.startsWith('/snippets/') ||
    path.startsWith('/public/')
  );
}

// The files an index names: its links, scripts and the module's imports.
function filesOf(html) {
  const found = new Set(['/config.json', ...LAZY_MODULES]);
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*["']([^"']+)["']/g)) {
    const path = match[1];
    if (path.startsWith('/') && !path.startsWith('//')) found.add(path);
  }
  for (const match of html.matchAll(/from\s+'(\/[^']+)'/g)) found.add(match[1]);
  return [...found].filter((p) => p === '/config.json' || LAZY_MODULES.includes(p) || isShellFile(p));
}

async function digest(text) {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(bytes).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Caches `html` (fetched now when not given) and its files as one build, then marks it
// the build answered offline. A file that cannot be fetched leaves the build unmarked.
async function cacheShell(html) {
  if (html === undefined) {
    const response = await fetch('/', { cache: 'no-cache' });
    if (!response.ok) return;
    html = await response.text();
  }
  const name = SHELL + (await digest(html));
  const meta = await caches.open(META);
  const marked = await meta.match(CURRENT);
  if (marked && (await marked.text()) === name) return;
  const cache = await caches.open(name);
  await cache.addAll(filesOf(html).map((path) => new Request(path, { cache: 'no-cache' })));
  await cache.put('/', new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
  await meta.put(CURRENT, new Response(name));
  await dropOldShells();
}

async function currentShell() {
  const marked = await (await caches.open(META)).match(CURRENT);
  return marked ? marked.text() : null;
}

async function dropOldShells() {
  const keep = await currentShell();
  const names = await caches.keys();
  await Promise.all(
    names.filter((n) => n.startsWith(SHELL) && n !== keep).map((n) => caches.delete(n)),
  );
}

async function cachedIndex() {
  const name = await currentShell();
  return name ? (await caches.open(name)).match('/') : undefined;
}

// The network's index when it answers in time (caching its build in the background when
// it is a new one), else the cached one; a page of the network's own when neither is there.
async function navigation(request, event) {
  const network = fetch(request);
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response && response.ok) {
      const type = response.headers.get('Content-Type') || '';
      if (type.startsWith('text/html')) {
        event.waitUntil(response.clone().text().then(cacheShell).catch(() => {}));
      }
      return response;
    }
    if (response) return response;
  } catch {
    // Offline: the cached index below.
  }
  const cached = await cachedIndex();
  if (cached) return cached;
  return network;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const name = await currentShell();
      if (name) await (await caches.open(name)).put(request, response.clone());
    }
    return response;
  } catch (failure) {
    const cached = await caches.match(request);
    if (cached) return cached;
    throw failure;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  return cached || fetch(request);
}

// A push message is a `PushPayload` (app/src/wire/push.rs) as JSON:
// {kind: "reminder", todoId, title, body, url, actionToken}.
self.addEventListener('push', (event) => {
  let reminder = null;
  try {
    reminder = event.data ? event.data.json() : null;
  } catch {
    // Not JSON: not ours to show.
  }
  if (!reminder || reminder.kind !== 'reminder' || typeof reminder.todoId !== 'string') return;
  event.waitUntil(Promise.all([show(reminder), tellOpenPages(reminder)]));
});

function show(reminder) {
  return self.registration.showNotification(String(reminder.title || 'Tasko'), {
    body: String(reminder.body || ''),
    // One notification per todo: a later reminder of the same todo replaces the earlier.
    tag: `todo-${reminder.todoId}`,
    renotify: true,
    icon: '/public/icon-192.png',
    data: { todoId: reminder.todoId, url: reminder.url, actionToken: reminder.actionToken },
    actions: [
      { action: 'done', title: 'Done' },
      { action: 'snooze', title: 'Snooze 1 h' },
    ],
  });
}

// Open pages show the reminder in their bell at once. The action token stays here: the
// page needs none (it acts as the signed-in user).
async function tellOpenPages(reminder) {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const message = {
    kind: 'reminder',
    todoId: reminder.todoId,
    title: String(reminder.title || ''),
    body: String(reminder.body || ''),
    at: new Date().toISOString(),
  };
  for (const page of pages) page.postMessage(message);
}

self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  if (event.action === 'done' || event.action === 'snooze') {
    event.waitUntil(act(event.action, data));
  } else {
    event.waitUntil(openTodo(data));
  }
});

// "Done" and "Snooze 1 h" send the reminder's single-use token (it is the credential: no
// session is needed) and leave the app closed; a refusal is said in a notification.
async function act(action, data) {
  let failure = null;
  try {
    const response = await fetch(`${await apiBase()}/api/push/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ actionToken: data.actionToken, action }),
    });
    if (response.status === 410) failure = 'This reminder has expired or was already used.';
    else if (!response.ok) failure = `Tasko could not do that (HTTP ${response.status}).`;
  } catch {
    failure = 'Tasko could not be reached.';
  }
  if (failure) {
    await self.registration.showNotification('Tasko', {
      body: `${failure} Open Tasko to change the todo.`,
      tag: `todo-${data.todoId}`,
      icon: '/public/icon-192.png',
      data: { todoId: data.todoId, url: data.url },
    });
  }
}

// The browser replaced this subscription (the push service renewed or expired it): tell the
// server, with no session, proving the old one by its authentication secret
// (POST /api/push/subscriptions/renew). Without the old one (some browsers give none) there
// is nothing to prove it with: the settings then show notifications off, to turn on again.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(renew(event.oldSubscription, event.newSubscription));
});

async function renew(old, fresh) {
  const before = old && typeof old.toJSON === 'function' ? old.toJSON() : null;
  if (!before || !before.endpoint || !before.keys || !before.keys.auth) return;
  const base = await apiBase();
  let subscription = fresh;
  if (!subscription) {
    const key = await (await fetch(`${base}/api/push/key`)).json();
    subscription = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: bytesOf(String(key.publicKey || '')),
    });
  }
  await fetch(`${base}/api/push/subscriptions/renew`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      oldEndpoint: before.endpoint,
      oldAuth: before.keys.auth,
      subscription: subscription.toJSON(),
    }),
  });
}

// base64url (no padding) to bytes, for `applicationServerKey`.
function bytesOf(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// The API's origin, from the same /config.json the app reads (empty: this origin).
async function apiBase() {
  try {
    const config = await (await fetch('/config.json')).json();
    return String(config.apiBaseUrl || '').replace(/\/$/, '');
  } catch {
    return '';
  }
}

// Focuses an open page and asks it to show the todo, or opens the app at `/?todo=<id>`.
async function openTodo(data) {
  const url = new URL(typeof data.url === 'string' ? data.url : '/', self.location.origin);
  // Only ever this app's own pages.
  const target = url.origin === self.location.origin ? url.href : self.location.origin + '/';
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const page = pages.find((p) => new URL(p.url).origin === self.location.origin);
  if (page) {
    page.postMessage({ kind: 'open', todoId: data.todoId });
    // The browser may refuse the focus (it allows it only right after a click): the page
    // shows the todo anyway.
    await page.focus().catch(() => {});
    return;
  }
  await self.clients.openWindow(target);
}
