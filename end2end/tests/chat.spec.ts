import { test as base, expect, TaskoServer, signUp, uniqueEmail, addTodo, item, watchForErrors } from './fixtures';
import type { Page } from '@playwright/test';

// Slower chunks make streaming observable (typing indicator, stop) without timing races.
const test = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    const server = new TaskoServer({ LOCAL_AGENT_CHUNK_DELAY_MS: '40' });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });
const lastReply = (page: Page) => assistant(page).locator('.bubble.assistant').last();

async function ask(page: Page, message: string): Promise<void> {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  await expect(assistant(page).locator('.bubble.user').last()).toHaveText(message);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
}

test('the seed story: manage todos by talking, with the list updating by itself', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('chat'));
  await expect(assistant(page).locator('.pill')).toHaveText('online');

  await addTodo(page, 'Book dentist appointment');
  await ask(page, 'add learn ansible tomorrow');
  await expect(lastReply(page)).toContainText('Added Learn ansible');
  await expect(item(page, 'Learn ansible')).toHaveCount(1); // no reload: todos_changed
  await ask(page, 'add buy milk');
  await expect(item(page, 'Buy milk')).toHaveCount(1);

  await ask(page, 'list my todos due this week');
  await expect(lastReply(page).locator('ol li')).toHaveCount(1);
  await expect(lastReply(page).locator('strong').first()).toHaveText('Learn ansible');
  await expect(lastReply(page).locator('.tool')).toContainText('Found 1 todo');

  await ask(page, 'delete the one about ansible');
  const confirm = lastReply(page).getByRole('group', { name: 'Confirmation' });
  await expect(confirm).toContainText('Delete Learn ansible?');
  await expect(item(page, 'Learn ansible')).toHaveCount(1);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(lastReply(page)).toContainText('Deleted Learn ansible.');
  await expect(item(page, 'Learn ansible')).toHaveCount(0);
  await expect(assistant(page).getByRole('button', { name: 'Confirm' })).toHaveCount(0);

  await ask(page, 'show me the dentist one');
  await expect(lastReply(page)).toContainText('Book dentist appointment');
  await ask(page, 'now mark that one as complete');
  await expect(lastReply(page)).toContainText('Marked Book dentist appointment as complete.');
  await expect(item(page, 'Book dentist appointment')).toHaveClass(/completed/);

  // The conversation is kept on the server: a reload restores it.
  await page.reload();
  await expect(assistant(page).locator('.bubble.user')).toHaveCount(7);
  await expect(assistant(page).locator('.bubble.user').nth(4)).toHaveText('Confirm');
  await expect(assistant(page).locator('.bubble.assistant').nth(4)).toContainText('Deleted Learn ansible.');
  await expect(assistant(page).getByRole('button', { name: 'Confirm' })).toHaveCount(0);
  // ... and so does the assistant's memory.
  await ask(page, 'mark it as not done');
  await expect(item(page, 'Book dentist appointment')).not.toHaveClass(/completed/);

  await assistant(page).getByRole('button', { name: 'New chat' }).click();
  await expect(assistant(page).locator('.bubble')).toHaveCount(0);
  await page.reload();
  await expect(assistant(page).locator('.chat-empty')).toBeVisible();
  expect(errors).toEqual([]);
});

test('replies stream with a typing indicator, can be stopped, and are announced when done', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('stream'));
  const input = page.getByLabel('Message the assistant');
  await input.fill('help');
  await input.press('Enter');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(lastReply(page).locator('.md').first()).toContainText('I can list');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(lastReply(page).locator('.interrupted')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const partial = await lastReply(page).innerText();
  expect(partial).not.toContain('delete the one about ansible');

  // Shift+Enter is a new line, Enter sends; the finished reply is announced once.
  await input.fill('hi');
  await input.press('Shift+Enter');
  await expect(input).toHaveValue('hi\n');
  await input.press('Enter');
  await expect(lastReply(page)).toContainText('I can help with your todos');
  await expect(page.locator('[aria-live="polite"]')).toContainText('I can help with your todos');
});

test('assistant replies and todo titles render inert', async ({ page, server }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await signUp(page, server, uniqueEmail('chatxss'));
  const scripts = await page.locator('script').count();
  const evil = '[click me](javascript:alert(1)) <img src=x onerror=alert(2)> <script>alert(3)</script>';
  await addTodo(page, evil);
  await ask(page, 'list my todos');
  await expect(lastReply(page)).toContainText('[click me](javascript:alert(1))');
  await ask(page, 'complete <b onmouseover=prompt(4)>zebra</b><script>prompt(5)</script>');
  await expect(lastReply(page)).toContainText("couldn't find a todo");
  await ask(page, 'show [zebra](javascript:prompt(6))');
  await expect(lastReply(page)).toContainText("couldn't find a todo");

  const log = assistant(page);
  await expect(log.locator('img')).toHaveCount(0);
  await expect(log.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(log.locator('script')).toHaveCount(0);
  await expect(log.locator('[onmouseover]')).toHaveCount(0);
  // The reply quoted the user's javascript: link; the assistant escapes the user's words, so
  // it shows as the literal text that was typed, never as a link.
  await expect(lastReply(page)).toContainText('matching “[zebra](javascript:prompt(6))”');
  await expect(lastReply(page).locator('a')).toHaveCount(0);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(dialogs).toBe(0);
});

test('on a phone the assistant is a full-screen drawer', async ({ page, server }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUp(page, server, uniqueEmail('drawer'));
  await expect(assistant(page)).toBeHidden();
  await page.getByRole('button', { name: 'Assistant' }).click();
  await expect(assistant(page)).toBeVisible();
  const box = await assistant(page).boundingBox();
  expect(box?.width).toBeGreaterThanOrEqual(370);
  await ask(page, 'add call mom tomorrow');
  await page.getByRole('button', { name: 'Hide assistant' }).click();
  await expect(item(page, 'Call mom')).toBeVisible();
});

// A reply slow enough to reload in the middle of it.
const slow = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    const server = new TaskoServer({ LOCAL_AGENT_CHUNK_DELAY_MS: '400' });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

slow('a reply being written survives a reload, shows in a second tab, and finishes by itself', async ({ page, server, context }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('reload'));
  const input = page.getByLabel('Message the assistant');
  await input.fill('help');
  await input.press('Enter');
  await expect(lastReply(page).locator('.md').first()).toContainText('I can list');
  // The server saves a growing reply about once a second.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(lastReply(page)).toContainText('I can list');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(lastReply(page)).toHaveAttribute('aria-busy', 'true');

  const second = await context.newPage();
  await second.goto(server.url);
  await expect(lastReply(second)).toContainText('I can list');

  // Both finish without another reload.
  for (const tab of [page, second]) {
    await expect(lastReply(tab)).toContainText('delete the one about ansible', { timeout: 20_000 });
    await expect(tab.getByRole('button', { name: 'Send' })).toBeVisible();
    await expect(lastReply(tab)).toHaveAttribute('aria-busy', 'false');
  }
  await expect(assistant(page).locator('.bubble.assistant')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("the assistant's deletes ask first and are undoable from the card", async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('chat-undo'));
  await addTodo(page, 'Learn ansible');
  await addTodo(page, 'Buy milk');
  await page.getByRole('checkbox', { name: 'Mark Learn ansible as complete' }).check();
  await expect(item(page, 'Learn ansible')).toHaveClass(/completed/);

  await ask(page, 'delete the one about ansible');
  await lastReply(page).getByRole('group', { name: 'Confirmation' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(lastReply(page)).toContainText('Deleted Learn ansible.');
  await expect(item(page, 'Learn ansible')).toHaveCount(0);

  const card = lastReply(page).locator('.tool.succeeded');
  await expect(card).toContainText('Deleted “Learn ansible”');
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card).toContainText('Undone');
  await expect(item(page, 'Learn ansible')).toHaveClass(/completed/);
  await page.reload();
  await expect(item(page, 'Learn ansible')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a reply can be copied as markdown, a code block on its own, and tables render', async ({ page, server, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('chat-copy'));
  await addTodo(page, 'Learn ansible');
  await ask(page, 'list my todos');
  await expect(lastReply(page)).toContainText('Learn ansible');
  await lastReply(page).getByRole('button', { name: 'Copy reply' }).click();
  await expect(lastReply(page).getByRole('button', { name: 'Copy reply' })).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('**Learn ansible**'); // the markdown, not the rendered text

  // A stored reply with a code block and a table (as a model writes them), shown from the history.
  const reply = [
    'Run this:',
    '',
    '```sh',
    'ansible-playbook site.yml --check',
    '```',
    '',
    '| Todo | Due |',
    '| :--- | ---: |',
    '| Pay rent | Dec 1 |',
    '',
    '- [x] milk',
    '- [ ] ~~eggs~~',
  ].join('\n');
  await page.route('**/api/chat/history', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        sessionId: 's1',
        messages: [
          { role: 'user', text: 'how do I check my playbook?', interrupted: false },
          { role: 'assistant', text: reply, interrupted: false },
        ],
      }),
    }),
  );
  await page.reload();
  const bubble = lastReply(page);
  await expect(bubble.locator('table th')).toHaveText(['Todo', 'Due']);
  await expect(bubble.locator('table td').first()).toHaveText('Pay rent');
  await expect(bubble.locator('li').first()).toHaveText('☑ milk');
  await expect(bubble.locator('del')).toHaveText('eggs');
  await expect(bubble.locator('[style]')).toHaveCount(0);
  await bubble.getByRole('button', { name: 'Copy code' }).click();
  await expect(bubble.getByRole('button', { name: 'Copy code' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('ansible-playbook site.yml --check\n');
  await bubble.getByRole('button', { name: 'Copy reply' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reply);
  expect(errors).toEqual([]);
});

test('the markdown module is not in the first load: it comes with the first reply, once, and renders it', async ({
  page,
  server,
}) => {
  const errors = watchForErrors(page);
  const modules: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/markdown.js' || path === '/markdown_bg.wasm') modules.push(path);
  });
  await signUp(page, server, uniqueEmail('lazy-markdown'));
  await expect(assistant(page).locator('.pill')).toHaveText('online');
  await addTodo(page, 'Water the ferns');
  // A new user's page, list and empty chat: nothing to render as markdown, nothing loaded.
  expect(modules).toEqual([]);

  await ask(page, 'list my todos');
  await expect(lastReply(page).locator('strong').first()).toHaveText('Water the ferns');
  expect(modules.sort()).toEqual(['/markdown.js', '/markdown_bg.wasm']);
  // A second reply uses the module already in.
  await ask(page, 'add buy milk');
  await expect(item(page, 'Buy milk')).toHaveCount(1);
  await ask(page, 'list my todos');
  await expect(lastReply(page).locator('strong')).toHaveCount(2);
  expect(modules).toHaveLength(2);
  expect(errors).toEqual([]);
});
