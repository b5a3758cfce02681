// The browser APIs of the installable app and of Web Push, for the wasm (worker.rs): a few
// lines of JavaScript here cost less than the web-sys bindings they replace. Every function
// answers with plain strings; a failure rejects with a sentence for the user.

let onMessage = null;

// Registers /sw.js (root scope) and relays its messages (a reminder shown, a todo to open)
// to the handler set by `listen`, as JSON text.
export function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (onMessage && event.data && typeof event.data === 'object') {
      onMessage(JSON.stringify(event.data));
    }
  });
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker:', e));
}

// `handler`: a function taking the message's JSON text, or null to stop.
export function listen(handler) {
  onMessage = handler;
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function registration() {
  await navigator.serviceWorker.register('/sw.js');
  return navigator.serviceWorker.ready;
}

async function currentSubscription() {
  const found = await navigator.serviceWorker.getRegistration('/');
  return found ? found.pushManager.getSubscription() : null;
}

// "unsupported" (no Push API), "denied" (blocked by the user or the browser), "on" (this
// browser is subscribed) or "off".
export async function pushState() {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const subscription = await currentSubscription();
  return subscription && Notification.permission === 'granted' ? 'on' : 'off';
}

// Asks for permission, subscribes with the server's VAPID key (base64url) and answers the
// subscription's `toJSON()` as JSON text, for POST /api/push/subscriptions.
export async function subscribe(publicKey) {
  if (!supported()) throw 'This browser cannot receive push notifications.';
  const permission = await Notification.requestPermission();
  if (permission === 'denied') throw 'denied';
  if (permission !== 'granted') throw 'Notifications were not allowed, so they stay off.';
  const pushManager = (await registration()).pushManager;
  const options = { userVisibleOnly: true, applicationServerKey: bytesOf(publicKey) };
  let subscription;
  try {
    subscription = await pushManager.subscribe(options);
  } catch (e) {
    // Subscribed before with another server key: replace that subscription.
    const old = await pushManager.getSubscription();
    if (!old) throw `The browser refused the subscription (${e && e.message ? e.message : e}).`;
    await old.unsubscribe();
    subscription = await pushManager.subscribe(options);
  }
  return JSON.stringify(subscription.toJSON());
}

// Ends this browser's subscription; answers its endpoint (for DELETE /api/push/subscriptions),
// or null when there was none.
export async function unsubscribe() {
  const subscription = supported() ? await currentSubscription() : null;
  if (!subscription) return null;
  const endpoint = subscription.endpoint;
  await subscription.unsubscribe();
  return endpoint;
}

function bytesOf(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
