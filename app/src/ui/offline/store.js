// The todos and lists last seen, kept in IndexedDB per user so the app shows them at once on
// every load, and offline (issue 28). Values are the API's JSON text, stored as they came;
// keys are `<user>:<kind>`. Every function resolves (a browser without IndexedDB, or a
// private window refusing it, keeps nothing and loads nothing) so the app never waits on it.

const DB = 'tasko-offline';
const STORE = 'snapshots';

function open() {
  return new Promise((resolve) => {
    if (!('indexedDB' in self)) return resolve(null);
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
}

function run(mode, work) {
  return open().then(
    (db) =>
      new Promise((resolve) => {
        if (!db) return resolve(null);
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request && request.result !== undefined ? request.result : null);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          resolve(null);
        };
      }),
  );
}

export function saveSnapshot(user, kind, json) {
  return run('readwrite', (store) => store.put(String(json), `${user}:${kind}`));
}

// The JSON text kept for this user, or null.
export function loadSnapshot(user, kind) {
  return run('readonly', (store) => store.get(`${user}:${kind}`)).then((v) =>
    typeof v === 'string' ? v : null,
  );
}

// Everything kept on this browser (at sign-out: the next person must not see it).
export function forgetAll() {
  return run('readwrite', (store) => store.clear());
}
