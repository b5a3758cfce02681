// The chat people expect, part two: edit the last message and resend it, regenerate the last
// reply, keep past conversations (list, open, continue, delete), and Undo on a tool card (and
// its refusal after a conflicting edit).
import { test, expect, signUp, uniqueEmail, item, watchForErrors } from './fixtures';
import type { Page } from '@playwright/test';

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });
const lastReply = (page: Page) => assistant(page).locator('.bubble.assistant').last();
const userBubbles = (page: Page) => assistant(page).locator('.bubble.user');

async function ask(page: Page, message: string): Promise<void> {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  await expect(userBubbles(page).last()).toHaveText(message);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
}

test('edit the last message and send it again; regenerate the last reply', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('edit'));
  await ask(page, 'add alpha');
  await ask(page, 'add beta');
  await expect(item(page, 'Beta')).toBeVisible();

  // Only the last message offers Edit; it fills the composer.
  await expect(assistant(page).getByRole('button', { name: 'Edit your last message' })).toHaveCount(1);
  await assistant(page).getByRole('button', { name: 'Edit your last message' }).click();
  const input = page.getByLabel('Message the assistant');
  await expect(input).toHaveValue('add beta');
  await expect(assistant(page).getByText('Editing your last message')).toBeVisible();
  // The replaced turn is gone from the agent's memory too: "it" is alpha again, not beta.
  await input.fill('mark it as done');
  await input.press('Enter');
  await expect(userBubbles(page)).toHaveCount(2);
  await expect(userBubbles(page).last()).toHaveText('mark it as done');
  await expect(lastReply(page)).toContainText('Marked Alpha as complete.');
  await expect(item(page, 'Alpha')).toHaveClass(/completed/);
  // What the replaced message did is undone too: no Beta.
  await expect(item(page, 'Beta')).toHaveCount(0);
  await page.reload();
  await expect(userBubbles(page)).toHaveCount(2);
  await expect(userBubbles(page).nth(1)).toHaveText('mark it as done');

  // Regenerate: the last reply is replaced, here and on the server.
  await ask(page, 'list my todos');
  await expect(assistant(page).locator('.bubble.assistant')).toHaveCount(3);
  await lastReply(page).getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
  await expect(lastReply(page)).toContainText('Alpha');
  await expect(assistant(page).locator('.bubble.assistant')).toHaveCount(3);
  await expect(userBubbles(page)).toHaveCount(3);
  await page.reload();
  await expect(assistant(page).locator('.bubble.assistant')).toHaveCount(3);
  await expect(lastReply(page)).toContainText('Alpha');
  expect(errors).toEqual([]);
});

test('past conversations: new chat keeps the old one; open, continue and delete from the list', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('history'));
  await ask(page, 'add learn ansible');
  await assistant(page).getByRole('button', { name: 'New chat' }).click();
  await expect(assistant(page).locator('.bubble')).toHaveCount(0);
  await ask(page, 'list my todos');

  await assistant(page).getByRole('button', { name: 'History' }).click();
  const list = assistant(page).getByRole('region', { name: 'Past conversations' });
  const lines = list.locator('.conversation .open');
  await expect(lines).toHaveText(['list my todos', 'add learn ansible']);

  // Open the older one: read-only until continued.
  await lines.filter({ hasText: 'add learn ansible' }).click();
  await expect(assistant(page).getByRole('status').filter({ hasText: 'Past conversation' })).toContainText('add learn ansible');
  await expect(userBubbles(page)).toHaveText(['add learn ansible']);
  await expect(page.getByLabel('Message the assistant')).toBeDisabled();
  await assistant(page).getByRole('button', { name: 'Continue this conversation' }).click();
  await expect(page.getByLabel('Message the assistant')).toBeEnabled();
  // Its memory came back with it: "it" is the todo that conversation added.
  await ask(page, 'mark it as done');
  await expect(item(page, 'Learn ansible')).toHaveClass(/completed/);
  await page.reload();
  await expect(userBubbles(page)).toHaveText(['add learn ansible', 'mark it as done']);

  // Delete the other one (after the browser's confirmation).
  page.once('dialog', (dialog) => void dialog.accept());
  await assistant(page).getByRole('button', { name: 'History' }).click();
  await expect(lines).toHaveText(['add learn ansible', 'list my todos']);
  await list.getByRole('button', { name: 'Delete “list my todos”' }).click();
  await expect(lines).toHaveText(['add learn ansible']);
  await page.reload();
  await assistant(page).getByRole('button', { name: 'History' }).click();
  await expect(lines).toHaveText(['add learn ansible']);
  expect(errors).toEqual([]);
});

test("Undo on a tool card takes back the assistant's change, and is refused after a conflicting edit", async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('card-undo'));
  await ask(page, 'add call mom');
  await ask(page, 'mark it as done');
  await expect(item(page, 'Call mom')).toHaveClass(/completed/);
  let card = lastReply(page).locator('.tool.succeeded');
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card).toContainText('Undone');
  await expect(item(page, 'Call mom')).not.toHaveClass(/completed/);
  // The history keeps it undone.
  await page.reload();
  await expect(lastReply(page).locator('.tool.succeeded')).toContainText('Undone');

  // "undo that" does the same by talking; the card it undid says so at once.
  await ask(page, 'mark call mom as done');
  const replies = assistant(page).locator('.bubble.assistant');
  const doneCard = replies.nth((await replies.count()) - 1).locator('.tool.succeeded');
  await ask(page, 'undo that');
  await expect(lastReply(page)).toContainText('Undone:');
  await expect(item(page, 'Call mom')).not.toHaveClass(/completed/);
  await expect(doneCard).toContainText('Undone');

  // Renamed by the assistant, then completed by hand: Undo would lose that, so it refuses.
  await ask(page, 'rename call mom to Call dad');
  await expect(item(page, 'Call dad')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Mark Call dad as complete' }).check();
  await expect(item(page, 'Call dad')).toHaveClass(/completed/);
  card = lastReply(page).locator('.tool.succeeded');
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.getByRole('alert')).toContainText('has changed since');
  await expect(item(page, 'Call dad')).toHaveClass(/completed/);
  expect(errors).toEqual([]);
});
