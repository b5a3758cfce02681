// The list people expect: Undo after deleting (also after a server restart), views with
// counts in the URL, search on the server as you type, a remembered order, and live sync
// between two browsers of the same user.
import { Page } from '@playwright/test';
import { test, expect, signUp, uniqueEmail, addTodo, item, PASSWORD, watchForErrors, api } from './fixtures';

/** `YYYY-MM-DD` of the day `offset` days from today in the browser's time zone. */
async function day(page: Page, offset: number): Promise<string> {
  return page.evaluate((offset) => {
    const d = new Date();
    d.setDate(d.getDate() + offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, offset);
}

function titles(page: Page) {
  return page.locator('.todo-list li label.title');
}

test('a delete offers Undo, which brings the todos back as they were, even after a restart', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('undo'));
  await addTodo(page, 'Renew passport');
  await addTodo(page, 'Water plants');
  await addTodo(page, 'Pay rent');
  await page.getByRole('checkbox', { name: 'Mark Water plants as complete' }).check();
  await expect(item(page, 'Water plants')).toHaveClass(/completed/);

  // ×: gone at once, and a toast offers Undo; Undo brings it back in its place, completed state kept.
  await page.getByRole('button', { name: 'Delete Water plants' }).click();
  await expect(item(page, 'Water plants')).toHaveCount(0);
  const toast = page.getByRole('status').filter({ hasText: 'Deleted 1 todo' });
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(item(page, 'Water plants')).toHaveClass(/completed/);
  await expect(titles(page)).toHaveText(['Renew passport', 'Water plants', 'Pay rent']);
  await expect(toast).toHaveCount(0);

  // Clear completed: one toast for all; the keyboard reaches Undo (Tab or `z`).
  await page.getByRole('checkbox', { name: 'Mark Pay rent as complete' }).check();
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect(titles(page)).toHaveText(['Renew passport']);
  await expect(page.getByRole('status').filter({ hasText: 'Deleted 2 todos' })).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('z');
  await expect(titles(page)).toHaveText(['Renew passport', 'Water plants', 'Pay rent']);

  // The toast leaves by itself after about six seconds; the delete stays.
  await page.getByRole('button', { name: 'Delete Renew passport' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted 1 todo' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted 1 todo' })).toHaveCount(0, { timeout: 9000 });
  await page.reload();
  await expect(titles(page)).toHaveText(['Water plants', 'Pay rent']);

  // An emptied edit deletes too; the server restarts while the toast shows; Undo still works.
  await item(page, 'Pay rent').getByText('Pay rent').dblclick();
  await page.getByLabel('New title for Pay rent').fill('  ');
  await page.getByLabel('New title for Pay rent').press('Enter');
  await expect(item(page, 'Pay rent')).toHaveCount(0);
  await server.restart();
  await page.getByRole('status').filter({ hasText: 'Deleted 1 todo' }).getByRole('button', { name: 'Undo' }).click();
  await expect(item(page, 'Pay rent')).toHaveCount(1);
  await expect(item(page, 'Pay rent')).toHaveClass(/completed/);
  await page.reload();
  await expect(titles(page)).toHaveText(['Water plants', 'Pay rent']);
  expect(errors).toEqual([]);
});

test('views with counts, search as you type and the order are in the URL or remembered', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('views'));
  const [yesterday, today, tomorrow, nextWeek, later] = await Promise.all(
    [-1, 0, 1, 7, 9].map((offset) => day(page, offset)),
  );
  for (const [title, dateDue, notes] of [
    ['Dentist appointment', today, 'bring the insurance card'],
    ['Renew passport', later, ''],
    ['Pay rent', yesterday, ''],
    ['Call mom', tomorrow, ''],
    ['Learn ansible', null, 'the NGINX role'],
    ['Book flights', nextWeek, ''],
  ]) {
    const created = await api(page, 'POST', '/api/todos', { title, dateDue, notes });
    expect(created.status).toBe(201);
  }
  await page.reload();
  await expect(titles(page)).toHaveCount(6);

  const view = (name: string) => page.getByRole('navigation', { name: 'Filter todos' }).getByRole('link', { name });
  await expect(view('Today')).toContainText('1');
  await expect(view('Overdue')).toContainText('1');
  await expect(view('Upcoming')).toContainText('2');
  await view('Upcoming').click();
  await expect(page).toHaveURL(/#\/upcoming$/);
  await expect(titles(page)).toHaveText(['Call mom', 'Book flights']);
  await page.reload();
  await expect(view('Upcoming')).toHaveAttribute('aria-current', 'page');
  await expect(titles(page)).toHaveText(['Call mom', 'Book flights']);
  await view('Overdue').click();
  await expect(titles(page)).toHaveText(['Pay rent']);
  await view('Today').click();
  await expect(titles(page)).toHaveText(['Dentist appointment']);

  // Search: the server matches words in titles, descriptions and notes; the query is in the URL.
  await view('All').click();
  const search = page.getByLabel('Search todos');
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/todos?q=')) asked.push(r.url());
  });
  await search.pressSequentially('nginx', { delay: 30 });
  await expect(titles(page)).toHaveText(['Learn ansible']);
  await expect(page).toHaveURL(/#\/\?q=nginx$/);
  expect(asked.length, 'debounced: one request for the whole word').toBe(1);
  await search.fill('card insurance');
  await expect(titles(page)).toHaveText(['Dentist appointment']);
  await search.fill('kangaroo');
  await expect(page.getByText('No todo here matches your search.')).toBeVisible();
  await search.fill('a');
  await view('Today').click();
  await expect(page).toHaveURL(/#\/today\?q=a$/);
  await expect(titles(page)).toHaveText(['Dentist appointment']);
  await page.reload();
  await expect(page.getByLabel('Search todos')).toHaveValue('a');
  await search.fill('');
  await view('All').click();
  await expect(titles(page)).toHaveCount(6);

  // Order: by due date (undated last), remembered across reloads.
  await page.getByLabel('Sort todos').selectOption('due');
  await expect(titles(page)).toHaveText([
    'Pay rent', 'Dentist appointment', 'Call mom', 'Book flights', 'Renew passport', 'Learn ansible',
  ]);
  await page.reload();
  await expect(page.getByLabel('Sort todos')).toHaveValue('due');
  await expect(titles(page).first()).toHaveText('Pay rent');
  await page.getByLabel('Sort todos').selectOption('created');
  await expect(titles(page).first()).toHaveText('Dentist appointment');
  expect(errors).toEqual([]);
});

test('a change in one browser shows in another of the same user within two seconds', async ({ browser, server }) => {
  const email = uniqueEmail('live');
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  const errors = [...watchForErrors(first), ...watchForErrors(second)];
  await signUp(first, server, email);
  await second.goto(server.url);
  await second.getByLabel('Email').fill(email);
  await second.getByLabel('Password').fill(PASSWORD);
  await second.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.getByLabel('New todo')).toBeVisible();

  await addTodo(first, 'Buy milk');
  await expect(item(second, 'Buy milk')).toHaveCount(1, { timeout: 2000 });
  await first.getByRole('checkbox', { name: 'Mark Buy milk as complete' }).check();
  await expect(item(second, 'Buy milk')).toHaveClass(/completed/, { timeout: 2000 });

  // A change by another client (another device, the assistant) arrives the same way.
  const list = await api(second, 'GET', '/api/todos');
  const milk = list.body[0];
  expect((await api(second, 'PATCH', `/api/todos/${milk.id}`, { title: 'Buy oat milk', version: milk.version })).status).toBe(200);
  await expect(item(first, 'Buy oat milk')).toHaveCount(1, { timeout: 2000 });

  // An open edit is not clobbered; it says it is stale, and its save is refused, not lost silently.
  await item(second, 'Buy oat milk').getByText('Buy oat milk').dblclick();
  const edit = second.getByLabel('New title for Buy oat milk');
  await edit.fill('Buy soy milk');
  await first.getByRole('checkbox', { name: 'Mark Buy oat milk as complete' }).uncheck();
  await expect(second.getByText('This todo was changed elsewhere')).toBeVisible({ timeout: 2000 });
  await expect(edit).toHaveValue('Buy soy milk');
  await edit.press('Enter');
  await expect(second.getByRole('alert')).toContainText('The list has been reloaded');
  await expect(item(second, 'Buy oat milk')).not.toHaveClass(/completed/);

  // Esc on a stale edit shows the new version.
  await item(second, 'Buy oat milk').getByText('Buy oat milk').dblclick();
  await first.getByRole('checkbox', { name: 'Mark Buy oat milk as complete' }).check();
  await expect(second.getByText('This todo was changed elsewhere')).toBeVisible({ timeout: 2000 });
  await second.getByLabel('New title for Buy oat milk').press('Escape');
  await expect(item(second, 'Buy oat milk')).toHaveClass(/completed/, { timeout: 2000 });

  // The detail form says so too.
  await second.getByRole('button', { name: 'Details of Buy oat milk' }).click();
  await expect(second.getByLabel('Title')).toHaveValue('Buy oat milk');
  await first.getByRole('button', { name: 'Delete Buy oat milk' }).click();
  await expect(second.getByText('This todo was deleted elsewhere.')).toBeVisible({ timeout: 2000 });
  expect(errors).toEqual([]);
});

test('quick add reads a due date from plain words before Enter, unless told not to', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('quick'));
  const box = page.getByLabel('New todo');
  const friday = await page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() + ((5 - d.getDay() + 7) % 7));
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      iso: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
      label: d.toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric' }),
    };
  });

  await box.fill('call mom friday');
  const chip = page.getByRole('button', { name: /^Due / });
  await expect(chip).toContainText(friday.label);
  await expect(page.locator('.quick-add .quick-title')).toHaveText('call mom');
  await box.press('Enter');
  await expect(item(page, 'call mom')).toHaveCount(1);
  const list = await api(page, 'GET', '/api/todos');
  expect(list.body[0].dateDue).toBe(friday.iso);
  await expect(chip).toHaveCount(0);

  // "on the 1st": the next first of a month.
  await box.fill('pay rent on the 1st');
  await expect(chip).toBeVisible();
  await expect(page.locator('.quick-add .quick-title')).toHaveText('pay rent');
  await box.press('Enter');
  await expect(item(page, 'pay rent')).toHaveCount(1);

  // Backspace on the chip keeps the words literal.
  await box.fill('watch movie tomorrow');
  await expect(chip).toBeVisible();
  await chip.focus();
  await page.keyboard.press('Backspace');
  await expect(chip).toHaveCount(0);
  await expect(box).toBeFocused();
  await box.press('Enter');
  await expect(item(page, 'watch movie tomorrow')).toHaveCount(1);

  // Quoted words are literal too; a plain title has no chip.
  await box.fill('read a book');
  await expect(chip).toHaveCount(0);
  await box.fill('watch "friday night lights"');
  await expect(chip).toHaveCount(0);
  await box.press('Enter');
  await expect(item(page, 'watch "friday night lights"')).toHaveCount(1);

  const all = (await api(page, 'GET', '/api/todos')).body;
  const due = Object.fromEntries(all.map((t: any) => [t.title, t.dateDue ?? null]));
  expect(due['watch movie tomorrow']).toBeNull();
  expect(due['watch "friday night lights"']).toBeNull();
  expect(due['pay rent']).toMatch(/^\d{4}-\d{2}-01$/);
  expect(errors).toEqual([]);
});

test('quick add keeps up with typing: Enter right after the last key adds what the chip shows', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('fastquick'));
  const box = page.getByLabel('New todo');
  const friday = await page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() + ((5 - d.getDay() + 7) % 7));
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });

  // An ordinary typist: 40 ms a key, Enter at once (no pause for a round-trip).
  await box.click();
  await box.pressSequentially('call the vet friday', { delay: 40 });
  await box.press('Enter');
  await expect(item(page, 'call the vet')).toHaveCount(1);
  const list = (await api(page, 'GET', '/api/todos')).body;
  expect(list.map((t: any) => [t.title, t.dateDue])).toEqual([['call the vet', friday]]);

  // A line longer than a todo can be gets a sentence, and nothing is sent.
  await box.fill('a'.repeat(230));
  await box.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'The title is 230 characters long; the limit is 200.' })).toBeVisible();
  expect((await api(page, 'GET', '/api/todos')).body).toHaveLength(1);
  expect(errors).toEqual([]);
});
