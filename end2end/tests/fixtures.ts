// Test fixtures: a real Tasko server per test (own port, own data dir), and helpers for the
// flows every spec needs. The server binary and dist/ come from the Makefile.
import { test as base, expect, Page } from '@playwright/test';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export const PASSWORD = 'Corr3ct-Horse!';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

// RSA key generation in a debug server can take seconds on a busy machine; every test server
// gets the same pre-made signing key instead (the IdP loads an existing key file).
let signingKey: string | undefined;
function testSigningKey(): string {
  signingKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return signingKey;
}

export class TaskoServer {
  url = '';
  /** The server's standard output, when started with `captureOutput`. */
  output = '';
  private child?: ChildProcess;
  private port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tasko-e2e-'));

  constructor(
    /** Added to the server's environment (a test may change it before a `restart`). */
    public extraEnv: Record<string, string> = {},
    private captureOutput = false,
  ) {
    writeFileSync(join(this.dataDir, 'idp-signing-key.pem'), testSigningKey(), { mode: 0o600 });
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const bin = process.env.TASKO_SERVER_BIN;
    if (!bin) throw new Error('TASKO_SERVER_BIN is not set (run through `make e2e`)');
    this.child = spawn(bin, [], {
      env: {
        ...process.env,
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        DIST_DIR: process.env.TASKO_DIST ?? '../dist',
        LOG: 'warn',
        ...this.extraEnv,
      },
      stdio: ['ignore', this.captureOutput ? 'pipe' : 'inherit', 'inherit'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    for (let i = 0; i < 600; i++) {
      try {
        const response = await fetch(`${this.url}/config.json`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the server did not start');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The latest code the local IdP "emailed" to `email` (IDP_REQUIRE_CONFIRMATION=1 logs them). */
  async codeFor(email: string, purpose: 'ConfirmSignUp' | 'ResetPassword'): Promise<string> {
    const line = /email="?([^"\s]+)"? purpose=(\w+) code="?(\d{6})/g;
    for (let i = 0; i < 200; i++) {
      const text = this.output.replace(/\x1b\[[0-9;]*m/g, '');
      const codes = [...text.matchAll(line)].filter((m) => m[1] === email.toLowerCase() && m[2] === purpose);
      if (codes.length) return codes[codes.length - 1][3];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${purpose} code for ${email} in the server log`);
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const test = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    const server = new TaskoServer();
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

export { expect };

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${Date.now()}-${counter}@example.com`;
}

/** Fails the test on any uncaught page error or console error (a blank page starts as one). */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('Failed to load resource')) errors.push(m.text());
  });
  return errors;
}

/** Fills in and sends the sign-up form (what follows depends on the server's settings). */
export async function submitSignUp(page: Page, server: TaskoServer, email: string): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export async function signUp(page: Page, server: TaskoServer, email: string): Promise<void> {
  await submitSignUp(page, server, email);
  await expect(page.getByLabel('New todo')).toBeVisible();
}

export async function addTodo(page: Page, title: string): Promise<void> {
  const input = page.getByLabel('New todo');
  await input.fill(title);
  await input.press('Enter');
  await expect(page.locator('.todo-list li', { hasText: title }).first()).toBeVisible();
}

export function item(page: Page, title: string) {
  return page.locator('.todo-list li').filter({ has: page.getByText(title, { exact: true }) });
}

/** Calls the API as the signed-in user of `page` (for setup the UI has no shortcut for). */
export async function api(page: Page, method: string, path: string, body?: unknown): Promise<any> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const token = JSON.parse(localStorage.getItem('tasko.session')!).id_token;
      const response = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}
