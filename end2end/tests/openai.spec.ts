// The seed story through AGENT=openai: the real UI and server, the assistant played by the
// Chat Completions stand-in (a separate process speaking the streaming protocol with tool
// calls). List what is due this week, delete the one about ansible (after our confirmation),
// mark that one complete, attach a dropped file to a todo by talking.
import { spawn, ChildProcess } from 'node:child_process';
import { test as base, expect, TaskoServer, signUp, uniqueEmail, item, watchForErrors } from './fixtures';
import { PDF, dropOn, fileTransfer } from './drop';
import type { Page } from '@playwright/test';

async function startStandIn(): Promise<{ url: string; child: ChildProcess }> {
  const bin = process.env.TASKO_OPENAI_STANDIN_BIN;
  if (!bin) throw new Error('TASKO_OPENAI_STANDIN_BIN is not set (run through `make e2e`)');
  const child = spawn(bin, [], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = /listening (\S+)/.exec(seen);
      if (line) resolve(line[1]);
    });
    child.once('exit', () => reject(new Error('the stand-in exited')));
  });
  return { url, child };
}

const test = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    const standin = await startStandIn();
    const server = new TaskoServer({
      AGENT: 'openai',
      OPENAI_BASE_URL: standin.url,
      OPENAI_MODEL: 'stand-in',
    });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
    standin.child.kill();
  },
});

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });
const lastReply = (page: Page) => assistant(page).locator('.bubble.assistant').last();

async function ask(page: Page, message: string): Promise<void> {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  await expect(assistant(page).locator('.bubble.user').last()).toContainText(message);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
}

async function addDueTomorrow(page: Page, title: string): Promise<void> {
  const box = page.getByLabel('New todo');
  await box.fill(`${title} tomorrow`);
  await expect(page.locator('.quick-add .quick-title')).toHaveText(title);
  await box.press('Enter');
  await expect(item(page, title)).toHaveCount(1);
}

test('the seed story with your own model: list, delete after confirming, that one, attach by talking', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('openai'));
  await addDueTomorrow(page, 'Book dentist appointment');
  await addDueTomorrow(page, 'Learn ansible');
  const box = page.getByLabel('New todo');
  await box.fill('Buy milk');
  await box.press('Enter');
  await expect(item(page, 'Buy milk')).toHaveCount(1);

  await ask(page, 'list my todos due this week');
  await expect(lastReply(page).locator('.md li')).toHaveText(['Book dentist appointment', 'Learn ansible']);
  await expect(lastReply(page).locator('.tool')).toContainText('Found 2 todos');

  await ask(page, 'delete the one about ansible');
  const confirm = lastReply(page).getByRole('group', { name: 'Confirmation' });
  await expect(confirm).toContainText('Allow the assistant to delete 1 todo(s)? Undo brings them back for 10 minutes.');
  await expect(item(page, 'Learn ansible')).toHaveCount(1);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(lastReply(page)).toContainText('Deleted it.');
  await expect(item(page, 'Learn ansible')).toHaveCount(0);

  await ask(page, 'now mark that one as complete');
  await expect(lastReply(page)).toContainText('Marked it as complete.');
  await expect(item(page, 'Book dentist appointment')).toHaveClass(/completed/);

  await dropOn(page, assistant(page), await fileTransfer(page, 'x-ray.pdf', 'application/pdf', PDF));
  const chips = assistant(page).getByRole('list', { name: 'Files for the next message' });
  await expect(chips.getByRole('progressbar')).toHaveCount(0);
  await ask(page, 'attach this to my dentist appointment todo');
  await expect(lastReply(page)).toContainText('Attached it.');
  await expect(lastReply(page).locator('.tool.succeeded').last()).toContainText('Attached “x-ray.pdf”');
  await page.getByRole('button', { name: 'Details of Book dentist appointment' }).click();
  await expect(page.locator('li.file', { hasText: 'x-ray.pdf' })).toBeVisible();
  expect(errors).toEqual([]);
});
