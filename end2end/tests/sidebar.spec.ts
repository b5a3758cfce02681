// The sidebar and the checklist, reordered by drag and drop (HTML5 drag events, which
// Playwright's dragTo drives in Chromium) and by their buttons, with the order kept by the
// server; the labels under the lists (counts, a filter, a rename); the drawer on a phone.
import type { Page } from '@playwright/test';
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors } from './fixtures';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Lists' });
/** The names in the sidebar's list of lists, as shown. */
const shownLists = (page: Page) => sidebar(page).locator('ul:not(.labels) .list-name').allTextContents();
const savedLists = async (page: Page) => (await api(page, 'GET', '/api/lists')).body.map((l: any) => l.name);
const listLink = (page: Page, name: string) => sidebar(page).getByRole('link', { name: new RegExp(`^${name}\\s*\\d*$`) });

test('lists are dragged into a new order, moved with buttons, and another tab follows', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('drag-lists'));
  for (const name of ['Home', 'Work', 'Trips']) {
    expect((await api(page, 'POST', '/api/lists', { name })).status).toBe(201);
  }
  await page.reload();
  await expect.poll(() => shownLists(page)).toEqual(['Every list', 'Inbox', 'Home', 'Work', 'Trips']);
  const other = await page.context().newPage();
  // The lists' poll is conditional: while nothing changed it is answered 304, no body.
  const listPolls: number[] = [];
  other.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/lists' && r.request().method() === 'GET') listPolls.push(r.status());
  });
  await other.goto(server.url);
  await expect.poll(() => shownLists(other)).toEqual(['Every list', 'Inbox', 'Home', 'Work', 'Trips']);

  // The Inbox stays first: it cannot be dragged.
  await expect(listLink(page, 'Inbox')).toHaveAttribute('draggable', 'false');
  await listLink(page, 'Inbox').dragTo(listLink(page, 'Trips'));
  await expect.poll(() => savedLists(page)).toEqual(['Inbox', 'Home', 'Work', 'Trips']);

  // Trips dragged onto Home takes its place.
  await listLink(page, 'Trips').dragTo(listLink(page, 'Home'));
  await expect.poll(() => shownLists(page)).toEqual(['Every list', 'Inbox', 'Trips', 'Home', 'Work']);
  await expect.poll(() => savedLists(page)).toEqual(['Inbox', 'Trips', 'Home', 'Work']);
  // The other tab shows it without a reload (live sync asks for the lists every 5 s).
  await expect.poll(() => shownLists(other), { timeout: 12_000 }).toEqual(['Every list', 'Inbox', 'Trips', 'Home', 'Work']);
  await expect.poll(() => listPolls.includes(304), { timeout: 12_000 }).toBe(true);

  // Home dragged down onto Work, into the last place.
  await listLink(page, 'Home').dragTo(listLink(page, 'Work'));
  await expect.poll(() => savedLists(page)).toEqual(['Inbox', 'Trips', 'Work', 'Home']);
  await page.reload();
  await expect.poll(() => shownLists(page)).toEqual(['Every list', 'Inbox', 'Trips', 'Work', 'Home']);

  // The keyboard's way: the shown list's move buttons.
  await listLink(page, 'Home').click();
  await expect(page.getByRole('button', { name: 'Move this list down' })).toBeDisabled();
  await page.getByRole('button', { name: 'Move this list up' }).click();
  await page.getByRole('button', { name: 'Move this list up' }).click();
  await expect(page.getByRole('button', { name: 'Move this list up' })).toBeDisabled();
  await expect.poll(() => savedLists(page)).toEqual(['Inbox', 'Home', 'Trips', 'Work']);
  await page.reload();
  await expect.poll(() => shownLists(page)).toEqual(['Every list', 'Inbox', 'Home', 'Trips', 'Work']);
  expect(errors).toEqual([]);
});

test('checklist steps: dragged by their handle, renamed, removed, Enter adds the next', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('drag-steps'));
  const subtasks = ['buy flour', 'knead', 'bake'].map((title) => ({ title }));
  expect((await api(page, 'POST', '/api/todos', { title: 'bread', subtasks })).status).toBe(201);
  await page.reload();
  const ids = (await api(page, 'GET', '/api/todos')).body[0].subtasks.map((s: any) => s.id);

  await page.getByRole('button', { name: 'Details of bread' }).click();
  const steps = page.locator('.checklist .step');
  await expect(steps).toHaveCount(3);
  // "bake" dragged onto "buy flour" takes the first place.
  await steps.nth(2).locator('.drag-handle').dragTo(steps.nth(0));
  await expect(page.getByLabel('Step 1', { exact: true })).toHaveValue('bake');
  await expect(page.getByLabel('Step 2', { exact: true })).toHaveValue('buy flour');
  // Renamed, one removed, and two added with Enter.
  await page.getByLabel('Step 3', { exact: true }).fill('knead well');
  await page.getByRole('button', { name: 'Remove step 2: buy flour' }).click();
  const next = page.getByLabel('Add a step');
  await next.fill('cool');
  await next.press('Enter');
  await expect(next).toBeFocused();
  await next.fill('eat');
  await next.press('Enter');
  await expect(steps).toHaveCount(4);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(item(page, 'bread').locator('.progress')).toHaveText('0/4');

  await page.reload();
  const saved = (await api(page, 'GET', '/api/todos')).body[0].subtasks;
  expect(saved.map((s: any) => s.title)).toEqual(['bake', 'knead well', 'cool', 'eat']);
  // The moved and renamed steps are the same steps (their ids kept).
  expect(saved.slice(0, 2).map((s: any) => s.id)).toEqual([ids[2], ids[1]]);
  expect(errors).toEqual([]);
});

test('labels in the sidebar: counted, a filter, renamed on every todo, a bad name refused', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('labels'));
  const todos: [string, string[]][] = [
    ['milk', ['errands']],
    ['stamps', ['errands', 'post']],
    ['call bank', ['phone']],
  ];
  for (const [title, labels] of todos) {
    expect((await api(page, 'POST', '/api/todos', { title, labels })).status).toBe(201);
  }
  await page.reload();
  const labels = sidebar(page).locator('.labels');
  await expect(labels.getByRole('link')).toHaveText([/@errands\s*2/, /@phone\s*1/, /@post\s*1/]);

  // A label filters the todos (the search's @label, in the address).
  await labels.getByRole('link', { name: /^@errands/ }).click();
  await expect(page.locator('.todo-list li')).toHaveCount(2);
  await expect(item(page, 'call bank')).toHaveCount(0);
  await expect(page).toHaveURL(/q=%40errands/);

  // A bad name is refused with the server's reason, and changes nothing.
  await labels.getByRole('button', { name: 'Rename @errands' }).click();
  const field = sidebar(page).getByLabel('New name for @errands');
  await expect(field).toBeFocused();
  await field.fill('two words');
  await field.press('Enter');
  await expect(sidebar(page).getByRole('alert')).toContainText("'two words' is not a label");
  expect((await api(page, 'GET', '/api/labels')).body.map((l: any) => l.name)).toEqual(['errands', 'phone', 'post']);

  // Renamed: on every row, in the API, and the filter follows it.
  await field.fill('Shopping');
  await field.press('Enter');
  await expect(item(page, 'milk').getByRole('link', { name: '@shopping' })).toBeVisible();
  await expect(item(page, 'stamps').getByRole('link', { name: '@shopping' })).toBeVisible();
  await expect(page.locator('.todo-list li')).toHaveCount(2);
  await expect(page).toHaveURL(/q=%40shopping/);
  await expect(labels.getByRole('link')).toHaveText([/@phone\s*1/, /@post\s*1/, /@shopping\s*2/]);
  await expect(sidebar(page).getByRole('alert')).toHaveCount(0);
  expect((await api(page, 'GET', '/api/labels')).body).toEqual([
    { name: 'phone', count: 1 },
    { name: 'post', count: 1 },
    { name: 'shopping', count: 2 },
  ]);
  const saved = (await api(page, 'GET', '/api/todos')).body;
  expect(saved.find((t: any) => t.title === 'stamps').labels).toEqual(['shopping', 'post']);
  expect(errors).toEqual([]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the lists are a drawer: a button opens it, Escape or a choice closes it, the focus follows', async ({
    page,
    server,
  }) => {
    const errors = watchForErrors(page);
    await signUp(page, server, uniqueEmail('drawer'));
    expect((await api(page, 'POST', '/api/lists', { name: 'Home' })).status).toBe(201);
    expect((await api(page, 'POST', '/api/todos', { title: 'milk', labels: ['errands'] })).status).toBe(201);
    await page.reload();
    const toggle = sidebar(page).getByRole('button', { name: 'Lists', exact: true });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(listLink(page, 'Inbox')).toBeHidden();

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(listLink(page, 'Home')).toBeVisible();
    await expect(sidebar(page).getByRole('link', { name: 'Every list' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(listLink(page, 'Home')).toBeHidden();
    await expect(toggle).toBeFocused();

    // Choosing a list shows it and closes the drawer.
    await toggle.click();
    await listLink(page, 'Home').click();
    await expect(listLink(page, 'Home')).toBeHidden();
    await expect(page).toHaveURL(/list=/);
    await expect(item(page, 'milk')).toHaveCount(0);
    await expect(toggle).toBeFocused();

    // So does choosing a label, and the close button.
    await toggle.click();
    await sidebar(page).getByRole('link', { name: /^@errands/ }).click();
    await expect(item(page, 'milk')).toHaveCount(1);
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await sidebar(page).getByRole('button', { name: 'Close the lists' }).click();
    await expect(listLink(page, 'Inbox')).toBeHidden();
    await expect(toggle).toBeFocused();
    expect(errors).toEqual([]);
  });
});
