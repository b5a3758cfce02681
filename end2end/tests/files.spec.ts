import { test, expect, signUp, uniqueEmail, addTodo, watchForErrors } from './fixtures';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { PDF, dropOn, fileTransfer } from './drop';

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });
const detail = (page: Page) => page.locator('section.detail');

/** Sends a chat message once the previous reply has finished (Enter is ignored while a
 * reply is still being written: the composer shows Stop then). */
async function say(page: Page, text: string) {
  await expect(assistant(page).getByRole('button', { name: 'Send' })).toBeVisible();
  const input = page.getByLabel('Message the assistant');
  await input.fill(text);
  await input.press('Enter');
}

test('a file dropped on a todo uploads with progress, is listed, downloads the same bytes and can be deleted', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('files'));
  await addTodo(page, 'Dentist appointment');
  await page.getByRole('button', { name: 'Details of Dentist appointment' }).click();
  const files = detail(page).locator('.todo-files');
  await expect(files).toContainText('No files yet');

  // Hold the completion step so the progress bar can be seen while the upload is in flight.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/files/*/complete', async (route) => {
    await held;
    await route.continue();
  });
  const zone = files.locator('.drop-zone');
  await dropOn(page, zone, await fileTransfer(page, 'x-ray.pdf', 'application/pdf', PDF));
  const progress = files.getByRole('progressbar', { name: 'Uploading x-ray.pdf' });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('value', '100'); // every byte sent, completing
  release();
  await expect(progress).toHaveCount(0);
  const row = files.locator('li.file', { hasText: 'x-ray.pdf' });
  await expect(row).toBeVisible();
  await expect(row).toContainText(`${PDF.length} B`);

  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Download x-ray.pdf' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('x-ray.pdf');
  expect(Array.from(readFileSync(await download.path()))).toEqual(PDF);

  // Still there after a reload: the upload is durable.
  await page.reload();
  await page.getByRole('button', { name: 'Details of Dentist appointment' }).click();
  await expect(detail(page).locator('li.file', { hasText: 'x-ray.pdf' })).toBeVisible();
  await detail(page).getByRole('button', { name: 'Delete x-ray.pdf' }).click();
  await expect(detail(page).locator('li.file')).toHaveCount(0);
  await expect(detail(page).locator('.todo-files')).toContainText('No files yet');
  expect(errors).toEqual([]);
});

test('disallowed and oversize files are refused with a clear message and nothing is listed', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('refused'));
  await addTodo(page, 'Taxes');
  await page.getByRole('button', { name: 'Details of Taxes' }).click();
  const files = detail(page).locator('.todo-files');
  const zone = files.locator('.drop-zone');
  await dropOn(page, zone, await fileTransfer(page, 'page.html', 'text/html', Array.from(Buffer.from('<script>alert(1)</script>'))));
  await expect(files.locator('.upload.failed')).toContainText("Files of type 'text/html' cannot be attached");
  await files.getByRole('button', { name: 'Dismiss page.html' }).click();

  const big = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.pdf', { type: 'application/pdf' }));
    return transfer;
  });
  await dropOn(page, zone, big);
  await expect(files.locator('.upload.failed')).toContainText('the limit is 10.0 MiB');
  await expect(files.locator('li.file')).toHaveCount(0);
  // A name that looks like markup is shown as text, never as markup.
  await dropOn(page, zone, await fileTransfer(page, '<img src=x onerror=alert(1)>.pdf', 'application/pdf', PDF));
  await expect(files.locator('li.file .file-name')).toHaveText('_img src=x onerror=alert(1)_.pdf');
  await expect(files.locator('li.file img')).toHaveCount(0);

  // An upload that hangs can be cancelled; it never shows up.
  await page.route('**/api/files/*/content', () => {}); // never answered
  await dropOn(page, zone, await fileTransfer(page, 'slow.pdf', 'application/pdf', PDF));
  await files.getByRole('button', { name: 'Cancel uploading slow.pdf' }).click();
  await expect(files.locator('.upload', { hasText: 'slow.pdf' })).toHaveCount(0);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.reload();
  await page.getByRole('button', { name: 'Details of Taxes' }).click();
  await expect(detail(page).locator('li.file')).toHaveCount(1);
  await expect(detail(page).locator('li.file', { hasText: 'slow.pdf' })).toHaveCount(0);
});

test('a file dropped into the chat is attached by talking and the open todo shows it without a reload', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('chatfile'));
  await addTodo(page, 'Book dentist appointment');
  await addTodo(page, 'Buy milk');
  await page.getByRole('button', { name: 'Details of Book dentist appointment' }).click();
  await expect(detail(page).locator('.todo-files')).toContainText('No files yet');

  await dropOn(page, assistant(page), await fileTransfer(page, 'x-ray.pdf', 'application/pdf', PDF));
  const chips = assistant(page).getByRole('list', { name: 'Files for the next message' });
  await expect(chips.locator('li', { hasText: 'x-ray.pdf' })).toBeVisible();
  await expect(chips.getByRole('progressbar')).toHaveCount(0); // uploaded
  // A file dropped by mistake can be taken off the message again.
  await dropOn(page, assistant(page), await fileTransfer(page, 'wrong.pdf', 'application/pdf', PDF));
  await chips.getByRole('button', { name: 'Remove wrong.pdf' }).click();
  await expect(chips.locator('li')).toHaveCount(1);

  await say(page, 'attach this to my dentist appointment todo');
  const sent = assistant(page).locator('.bubble.user').last();
  await expect(sent).toContainText('attach this to my dentist appointment todo');
  await expect(sent.locator('.chip')).toHaveText('x-ray.pdf');
  await expect(chips).toHaveCount(0);
  const reply = assistant(page).locator('.bubble.assistant').last();
  await expect(reply).toContainText('Attached “x-ray.pdf” to Book dentist appointment.');
  await expect(detail(page).locator('li.file', { hasText: 'x-ray.pdf' })).toBeVisible();

  // A second file, attached in a later message by position.
  await dropOn(page, assistant(page), await fileTransfer(page, 'receipt.pdf', 'application/pdf', PDF));
  await expect(chips.locator('li', { hasText: 'receipt.pdf' })).toBeVisible();
  await say(page, 'here is the receipt');
  await expect(assistant(page).locator('.bubble.assistant').last()).toContainText('Which todo should I attach it to?');
  await say(page, 'list my todos');
  await expect(assistant(page).locator('.bubble.assistant').last().locator('ol li')).toHaveCount(2);
  await say(page, 'attach it to the second one');
  await expect(assistant(page).locator('.bubble.assistant').last()).toContainText('Attached “receipt.pdf” to Buy milk.');
  await page.getByRole('button', { name: 'Details of Buy milk' }).click();
  await expect(detail(page).locator('li.file', { hasText: 'receipt.pdf' })).toBeVisible();
  expect(errors).toEqual([]);
});
