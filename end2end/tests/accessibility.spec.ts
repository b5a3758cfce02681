// Accessibility: axe-core (WCAG 2.1 A and AA, plus axe's best practices) on every screen a
// person meets, each in the light and the dark theme (the app follows prefers-color-scheme):
// the sign-in and sign-up forms, the list with due, overdue and completed todos and the chat
// open, the details of a todo, a reply with a delete confirmation card, settings, and the
// consent page an outside client's sign-in leads to. Any violation fails the test with its
// rule, impact, elements and summary.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, signUp, uniqueEmail, item, PASSWORD } from './fixtures';
import { authorization, catchRedirect, registerClient } from './oauth';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const THEMES = ['light', 'dark'] as const;

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });

/** Every axe violation on the page as it is now, in both themes, as readable lines. */
async function violations(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of THEMES) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page })
      .withTags(TAGS)
      // axe ships this WCAG 2.5.3 check (a control's name contains its visible text, so that
      // speech users can say what they see) as "experimental", outside any tag selection.
      .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
      .analyze();
    for (const v of results.violations) {
      const nodes = v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`);
      found.push(`${screen} (${colorScheme}): ${v.id} [${v.impact}] ${v.help}\n${nodes.join('\n')}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** `YYYY-MM-DD`, `offset` days from today in the browser's time zone. */
async function day(page: Page, offset: number): Promise<string> {
  return page.evaluate((offset) => {
    const d = new Date();
    d.setDate(d.getDate() + offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, offset);
}

/** A list with every kind of row: overdue, due today, upcoming, undated and completed. */
async function seedTodos(page: Page): Promise<void> {
  const todos: [string, string | null][] = [
    ['Pay rent', await day(page, -1)],
    ['Dentist appointment', await day(page, 0)],
    ['Call mom', await day(page, 3)],
    ['Learn ansible', null],
    ['Water plants', null],
  ];
  for (const [title, dateDue] of todos) {
    const status = await page.evaluate(
      async ({ title, dateDue }) => {
        const token = JSON.parse(localStorage.getItem('tasko.session')!).id_token;
        const response = await fetch('/api/todos', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ title, dateDue }),
        });
        return response.status;
      },
      { title, dateDue },
    );
    expect(status).toBe(201);
  }
  await page.reload();
  await expect(page.locator('.todo-list li')).toHaveCount(todos.length);
  await page.getByLabel('Mark Water plants as complete').click();
  await expect(item(page, 'Water plants')).toHaveClass(/completed/);
  await expect(item(page, 'Pay rent').locator('.due.overdue')).toBeVisible();
  await expect(item(page, 'Dentist appointment').locator('.due.today')).toBeVisible();
  await expect(assistant(page).locator('.pill')).toHaveText('online');
}

function report(found: string[]): string {
  return `${found.length} accessibility violation(s):\n\n${found.join('\n\n')}`;
}

test('the sign-in and sign-up forms have no accessibility violations, light or dark', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  const found = await violations(page, 'sign-in');
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('button', { name: 'Sign up' })).toBeVisible();
  found.push(...(await violations(page, 'sign-up')));
  expect(found.length, report(found)).toBe(0);
});

test('the list, the details and a confirmation card in the chat have no violations, light or dark', async ({
  page,
  server,
}) => {
  await signUp(page, server, uniqueEmail('a11y'));
  await seedTodos(page);
  const found = await violations(page, 'todo page');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  found.push(...(await violations(page, 'settings')));
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeHidden();

  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await expect(page.getByLabel('Due date')).toBeVisible();
  found.push(...(await violations(page, 'details')));
  await page.getByLabel('Description').press('Escape');
  await expect(page.getByLabel('Description')).toHaveCount(0);

  const input = page.getByLabel('Message the assistant');
  await input.fill('delete Learn ansible');
  await input.press('Enter');
  const confirm = assistant(page).getByRole('group', { name: 'Confirmation' });
  await expect(confirm).toContainText('Delete Learn ansible?');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
  found.push(...(await violations(page, 'chat with a confirmation card')));

  expect(found.length, report(found)).toBe(0);
});

test('the sidebar with lists, labels and a rename, and its drawer on a phone, have no violations', async ({
  page,
  server,
}) => {
  await signUp(page, server, uniqueEmail('a11y-sidebar'));
  const post = (path: string, body: unknown) =>
    page.evaluate(
      async ({ path, body }) => {
        const token = JSON.parse(localStorage.getItem('tasko.session')!).id_token;
        const response = await fetch(path, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return response.status;
      },
      { path, body },
    );
  for (const name of ['Home', 'Work']) expect(await post('/api/lists', { name })).toBe(201);
  expect(await post('/api/todos', { title: 'Buy milk', labels: ['errands'] })).toBe(201);
  await page.reload();
  const lists = page.getByRole('navigation', { name: 'Lists' });
  await lists.getByRole('link', { name: /^Home/ }).click();
  await expect(page.getByRole('button', { name: 'Move this list down' })).toBeVisible();
  await lists.getByRole('button', { name: 'Rename @errands' }).click();
  await expect(lists.getByLabel('New name for @errands')).toBeFocused();
  const found = await violations(page, 'sidebar');

  // On a phone (the chat, open on a wide screen, starts closed there).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await lists.getByRole('button', { name: 'Lists', exact: true }).click();
  await expect(lists.getByRole('button', { name: 'Close the lists' })).toBeVisible();
  found.push(...(await violations(page, 'drawer')));
  expect(found.length, report(found)).toBe(0);
});

test('settings: access tokens (a new one shown, a revoke asked) and activity have no violations, light or dark', async ({
  page,
  server,
}) => {
  await signUp(page, server, uniqueEmail('a11y-settings'));
  const found: string[] = [];
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByLabel('Token name').fill('Backup script');
  await settings.getByRole('button', { name: 'Create token' }).click();
  await expect(settings.locator('.new-token-value')).toBeVisible();
  await settings.getByRole('button', { name: 'Revoke' }).click();
  await expect(settings.getByRole('button', { name: 'Revoke token' })).toBeVisible();
  found.push(...(await violations(page, 'access tokens')));

  const input = page.getByLabel('Message the assistant');
  await input.fill('add water the ferns');
  await input.press('Enter');
  await expect(page.locator('.todo-list li', { hasText: /water the ferns/i })).toHaveCount(1);
  await settings.getByRole('tab', { name: 'Activity' }).click();
  await expect(settings.getByRole('button', { name: 'Undo' })).toBeVisible();
  found.push(...(await violations(page, 'activity')));

  expect(found.length, report(found)).toBe(0);
});

test('the consent page (sign-in first, the card, an unknown request) and connected apps have no violations', async ({
  page,
  server,
  request,
}) => {
  const email = uniqueEmail('a11y-connect');
  await signUp(page, server, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  const client = await registerClient(request, server.url, 'Garden Helper', 'http://127.0.0.1:33418/callback');
  const redirected = catchRedirect(page, client.redirectUri);
  await page.goto(authorization(client, 'todos:write').url);
  await expect(page.getByText('Sign in to Tasko to connect an app to your todos.')).toBeVisible();
  const found = await violations(page, 'consent: sign-in first');

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const card = page.getByRole('region', { name: 'Connect Garden Helper to Tasko?' });
  await expect(card.getByRole('button', { name: 'Approve' })).toBeVisible();
  found.push(...(await violations(page, 'consent card')));
  await card.getByRole('button', { name: 'Approve' }).click();
  await redirected;

  await page.goto(`${server.url}/connect?request=not-a-request`);
  await expect(page.getByRole('heading', { name: 'Nothing to connect' })).toBeVisible();
  found.push(...(await violations(page, 'consent: unknown request')));

  await page.goto(server.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Connected apps' }).click();
  await settings.getByRole('button', { name: /^Revoke Garden Helper/ }).click();
  await expect(settings.getByRole('button', { name: 'Revoke access' })).toBeVisible();
  found.push(...(await violations(page, 'connected apps')));
  expect(found.length, report(found)).toBe(0);
});
