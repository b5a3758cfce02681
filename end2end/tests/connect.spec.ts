// The consent page (/connect) an outside client's sign-in leads to, against the real server:
// signed out, the usual sign-in comes first and leads back to the same request; Approve sends
// the client a code that buys a token for /mcp; Deny sends it `access_denied`; an answered or
// unknown request says so; Settings → Connected apps lists the grant and Revoke stops its
// token. And a client nobody here wrote, the official MCP Python SDK, signs in through the
// page in Chromium.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test, expect, signUp, uniqueEmail, item, watchForErrors, PASSWORD } from './fixtures';
import { authorization, callTool, catchRedirect, exchange, registerClient } from './oauth';

// Nothing listens here: the browser's arrival is answered by `catchRedirect`.
const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

test('signed out, the consent page signs in first; Approve gives the client a working token, revoked in Settings', async ({
  page,
  server,
  request,
}) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('connect');
  await signUp(page, server, email);
  await page.getByRole('button', { name: 'Sign out' }).click();

  const client = await registerClient(request, server.url, 'Garden Helper', REDIRECT_URI);
  const asked = authorization(client, 'todos:write');
  const redirected = catchRedirect(page, REDIRECT_URI);
  await page.goto(asked.url);

  // The authorize step lands on the app's own page, which asks for the usual sign-in first.
  await expect(page).toHaveURL(/\/connect\?request=/);
  await expect(page.getByText('Sign in to Tasko to connect an app to your todos.')).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Then the same request: who asks, from where, for what, as whom.
  const card = page.getByRole('region', { name: 'Connect Garden Helper to Tasko?' });
  await expect(card).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Connect Garden Helper to Tasko?' })).toBeFocused();
  await expect(card.locator('.connect-name')).toHaveText('Garden Helper');
  await expect(card.locator('.connect-site')).toHaveText('127.0.0.1:33418');
  await expect(card.locator('.connect-access')).toHaveText('Read and change your todos');
  await expect(card.locator('.connect-account')).toHaveText(email);
  await card.getByRole('button', { name: 'Approve' }).click();

  // The client gets a code with its state, and the code buys a token for /mcp.
  const back = await redirected;
  expect(back.searchParams.get('state')).toBe(asked.state);
  expect(back.searchParams.get('error')).toBeNull();
  const token = await exchange(request, client, back.searchParams.get('code')!, asked.verifier);
  const added = await callTool(request, server.url, token, 'addTodo', { title: 'Water the ferns' });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  expect(added.body.result.isError).toBe(false);

  // Settings → Connected apps: the grant, used; revoked after a confirmation.
  await page.goto(server.url);
  await expect(item(page, 'Water the ferns')).toHaveCount(1);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Connected apps' }).click();
  const row = settings.locator('.grant', { hasText: 'Garden Helper' });
  await expect(row.locator('.grant-site')).toHaveText('127.0.0.1:33418');
  await expect(row).toContainText('Read and change');
  await expect(row).not.toContainText('Last used never');
  await row.getByRole('button', { name: 'Revoke Garden Helper (127.0.0.1:33418)' }).click();
  await expect(row.getByRole('alert')).toContainText('Disconnect “Garden Helper” (127.0.0.1:33418)?');
  await row.getByRole('button', { name: 'Revoke access' }).click();
  await expect(settings.getByText('“Garden Helper” can no longer use your todos.')).toBeVisible();
  await expect(settings.getByText(/^No connected apps\./)).toBeVisible();
  // Its token stops working (the issue allows every instance 5 s; this one is the same).
  await expect
    .poll(async () => (await callTool(request, server.url, token, 'getTodos', {})).status, { timeout: 10_000 })
    .toBe(401);
  expect(errors).toEqual([]);
});

test('Deny sends the client access_denied; an answered or unknown request says so', async ({
  page,
  server,
  request,
}) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('deny');
  await signUp(page, server, email);

  // A client may call itself anything, markup included: the name is shown as text, and the
  // site beside it is what the client cannot choose.
  const client = await registerClient(request, server.url, '<b>Tasko</b>', REDIRECT_URI);
  const asked = authorization(client, 'todos:read');
  const redirected = catchRedirect(page, REDIRECT_URI);
  await page.goto(asked.url);
  const card = page.getByRole('region', { name: 'Connect <b>Tasko</b> to Tasko?' });
  await expect(card.locator('.connect-name')).toHaveText('<b>Tasko</b>');
  await expect(card.locator('b')).toHaveCount(0);
  await expect(card.locator('.connect-site')).toHaveText('127.0.0.1:33418');
  await expect(card.locator('.connect-access')).toHaveText('Read your todos');
  const connectUrl = page.url();
  await card.getByRole('button', { name: 'Deny' }).click();

  const back = await redirected;
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe(asked.state);
  expect(back.searchParams.get('code')).toBeNull();

  // The request was answered: coming back to it shows why nothing can be done.
  await page.goto(connectUrl);
  await expect(page.getByRole('heading', { name: 'Nothing to connect' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('unknown or has expired');
  await page.goto(`${server.url}/connect?request=not-a-request`);
  await expect(page.getByRole('heading', { name: 'Nothing to connect' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your todos' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();

  // Nothing was connected.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Connected apps' }).click();
  await expect(settings.getByText(/^No connected apps\./)).toBeVisible();
  expect(errors).toEqual([]);
});

test('the MCP Python SDK signs in through the consent page in the browser and adds a todo', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('sdk');
  await signUp(page, server, email);

  // The official SDK runs its own OAuth client (discovery, registration, PKCE); it prints
  // the URL it would open in a browser and reads back where the browser was sent.
  const sdk = runPythonClient(server.url);
  const authorizeUrl = await sdk.line('AUTHORIZE ');
  const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri')!;
  const redirected = catchRedirect(page, redirectUri);
  await page.goto(authorizeUrl);
  const card = page.getByRole('region', { name: 'Connect Python SDK agent to Tasko?' });
  await expect(card.locator('.connect-site')).toHaveText(new URL(redirectUri).host);
  await expect(card.locator('.connect-access')).toHaveText('Read and change your todos');
  await card.getByRole('button', { name: 'Approve' }).click();
  sdk.send((await redirected).toString());

  const result = JSON.parse(await sdk.line('RESULT '));
  expect(result.tools).toContain('addTodo');
  expect(result.todo.title).toBe('Sow the beans');
  expect(await sdk.exit).toBe(0);

  // The user sees the todo, and who added it.
  await page.goto(server.url);
  await expect(item(page, 'Sow the beans')).toHaveCount(1);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Activity' }).click();
  await expect(settings.locator('.activity', { hasText: 'Sow the beans' })).toContainText('Python SDK agent');
  await settings.getByRole('tab', { name: 'Connected apps' }).click();
  await expect(settings.locator('.grant', { hasText: 'Python SDK agent' })).toContainText('Read and change');
  expect(errors).toEqual([]);
});

/** `end2end/mcp/oauth_client.py` in the test venv: its output lines, its input, its exit. */
function runPythonClient(serverUrl: string) {
  const python = process.env.TASKO_PYTHON ?? resolve(__dirname, '../../.venv/bin/python');
  const child = spawn(python, [resolve(__dirname, '../mcp/oauth_client.py'), serverUrl], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const waiting: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    waiting.splice(0).forEach((wake) => wake());
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => {
    done(code);
    waiting.splice(0).forEach((wake) => wake());
  }));
  return {
    exit,
    /** The rest of the first output line that starts with `prefix`. */
    async line(prefix: string): Promise<string> {
      for (;;) {
        const found = output.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) return found.slice(prefix.length);
        if (child.exitCode !== null) throw new Error(`the client exited (${child.exitCode}):\n${output}`);
        await new Promise<void>((wake) => waiting.push(wake));
      }
    },
    send(line: string): void {
      child.stdin.write(`${line}\n`);
    },
  };
}
