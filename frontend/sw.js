// Tasko's service worker, served at /sw.js (root scope) and registered by the app at start
// (app/src/ui/reminders/pwa.js). It shows reminders delivered by Web Push and runs their
// actions without opening the app.
//
// It has no `fetch` handler on purpose: every request goes to the network under the
// server's own cache rules (index.html revalidated, hashed assets immutable), so a new build
// is picked up on the next load and an old index.html can never meet a new wasm. Caching
// the shell for offline use (issue 28) belongs here: precache the files named by the
// index.html being installed, in a cache named after that build, answer navigations from
// the cache of the build that is active, and drop other builds' caches in `activate`.

// A new version takes over at once: it holds no state an old page depends on.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

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
