// The browser's side of Web Push for tests: a subscription's keys (what a browser would make),
// a loopback "push service" that records what the server sends, and RFC 8291 (aes128gcm)
// decryption of a message with the subscription's private key, so a test can read the
// payload and hand it to the real service worker (ServiceWorker.deliverPushMessage).
import { createECDH, createHmac, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';

export type Subscription = {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
};

export class PushReceiver {
  readonly ecdh = createECDH('prime256v1');
  readonly authSecret = randomBytes(16);
  readonly received: { url: string; headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
  private server?: Server;
  endpoint = '';

  constructor() {
    this.ecdh.generateKeys();
  }

  /** Listens on loopback (the server accepts it only with PUSH_ALLOW_LOOPBACK=1). */
  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        this.received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    this.endpoint = `http://127.0.0.1:${address.port}/push/browser-1`;
  }

  stop(): void {
    this.server?.close();
  }

  /** What `PushSubscription.toJSON()` gives for this "browser". */
  subscription(): Subscription {
    return {
      endpoint: this.endpoint,
      expirationTime: null,
      keys: {
        p256dh: this.ecdh.getPublicKey().toString('base64url'),
        auth: this.authSecret.toString('base64url'),
      },
    };
  }

  /** RFC 8291 + RFC 8188 (one record): the plaintext of an aes128gcm message. */
  decrypt(body: Buffer): string {
    const salt = body.subarray(0, 16);
    const idLength = body[20];
    const serverKey = body.subarray(21, 21 + idLength);
    const ciphertext = body.subarray(21 + idLength);
    const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
    const shared = this.ecdh.computeSecret(serverKey);
    const keyInfo = Buffer.concat([
      Buffer.from('WebPush: info\0'),
      this.ecdh.getPublicKey(),
      serverKey,
      Buffer.from([1]),
    ]);
    const ikm = hmac(hmac(this.authSecret, shared), keyInfo);
    const prk = hmac(salt, ikm);
    const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
    const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
    // The last record ends with a 0x02 delimiter followed by zero padding.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 2) throw new Error('no last-record delimiter');
    return padded.subarray(0, end).toString('utf8');
  }
}

/**
 * Replaces the page's Push API with one that needs no push service (these machines cannot
 * reach the browser's own): `subscribe` answers `subscription`, and the calls are recorded
 * in `window.pushCalls`. Notification permission is the context's (granted by the test).
 */
export function stubPushManager(subscription: Subscription): [(s: Subscription) => void, Subscription] {
  const stub = (s: Subscription) => {
    const calls: unknown[] = [];
    (window as any).pushCalls = calls;
    let current: any = null;
    const make = () => ({
      endpoint: s.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true },
      toJSON: () => s,
      unsubscribe: async () => {
        calls.push(['unsubscribe']);
        current = null;
        return true;
      },
    });
    PushManager.prototype.subscribe = async function (options: PushSubscriptionOptionsInit) {
      const key = options.applicationServerKey as Uint8Array;
      calls.push(['subscribe', options.userVisibleOnly, key ? key.length : 0]);
      current = make();
      return current;
    };
    PushManager.prototype.getSubscription = async function () {
      return current;
    };
  };
  return [stub, subscription];
}
