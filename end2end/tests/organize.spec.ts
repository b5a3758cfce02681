// Organizing like the apps people already use: labels and priorities typed in quick add
// (each a chip that Backspace keeps literal), shown on the row; a checklist edited in the
// detail view with its progress on the row; a label's chip and the search filter by it.
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors } from './fixtures';

test('labels, priorities and a checklist, from quick add to the row and the filters', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('organize'));
  const box = page.getByLabel('New todo');

  // Quick add: the marks anywhere in the line, each a chip; the title keeps the rest.
  await box.fill('water plants @garden p2 tomorrow');
  await expect(page.getByRole('button', { name: /^Label garden/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Priority 2/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Due / })).toBeVisible();
  await expect(page.locator('.quick-add .quick-title')).toHaveText('water plants');
  await box.press('Enter');
  const plants = item(page, 'water plants');
  await expect(plants).toHaveCount(1);
  await expect(plants.getByRole('img', { name: 'Priority 2' })).toBeVisible();
  await expect(plants.getByRole('link', { name: '@garden' })).toBeVisible();

  // Backspace on one chip keeps its words in the title; the other marks still count.
  await box.fill('call bob p1 @phone');
  const priorityChip = page.getByRole('button', { name: /^Priority 1/ });
  await priorityChip.focus();
  await page.keyboard.press('Backspace');
  await expect(priorityChip).toHaveCount(0);
  await expect(page.locator('.quick-add .quick-title')).toHaveText('call bob p1');
  await box.press('Enter');
  const bob = item(page, 'call bob p1');
  await expect(bob.getByRole('link', { name: '@phone' })).toBeVisible();
  await expect(bob.locator('.flag')).toHaveCount(0);

  const saved = (await api(page, 'GET', '/api/todos')).body;
  const byTitle = Object.fromEntries(saved.map((t: any) => [t.title, t]));
  expect(byTitle['water plants'].labels).toEqual(['garden']);
  expect(byTitle['water plants'].priority).toBe(2);
  expect(byTitle['water plants'].dateDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(byTitle['call bob p1'].labels).toEqual(['phone']);
  expect(byTitle['call bob p1'].priority).toBe(4);

  // The detail view: priority, labels and a checklist (Enter adds the next step).
  await page.getByRole('button', { name: 'Details of water plants' }).click();
  await page.getByLabel('Priority', { exact: true }).selectOption('1');
  await page.getByLabel('Labels').fill('garden, @Outside');
  const step = page.getByLabel('Add a step');
  await step.fill('fill the can');
  await step.press('Enter');
  await step.fill('walk to the garden');
  await step.press('Enter');
  await page.getByRole('checkbox', { name: 'Step 1 done: fill the can' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(plants.locator('.progress')).toHaveText('1/2');
  await expect(plants.getByRole('img', { name: 'Priority 1' })).toBeVisible();
  await expect(plants.getByRole('link', { name: '@outside' })).toBeVisible();
  const after = (await api(page, 'GET', '/api/todos')).body.find((t: any) => t.title === 'water plants');
  expect(after.subtasks.map((s: any) => [s.title, s.done])).toEqual([
    ['fill the can', true],
    ['walk to the garden', false],
  ]);
  expect(after.labels).toEqual(['garden', 'outside']);

  // Reordering the checklist keeps the steps' ids.
  await page.getByRole('button', { name: 'Details of water plants' }).click();
  await page.getByRole('button', { name: 'Move step 2 up' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(async () => {
      const t = (await api(page, 'GET', '/api/todos')).body.find((x: any) => x.title === 'water plants');
      return t.subtasks.map((s: any) => s.id);
    })
    .toEqual([after.subtasks[1].id, after.subtasks[0].id]);

  // A label's chip filters the list by it; so does `@label` in the search box.
  await plants.getByRole('link', { name: '@outside' }).click();
  await expect(page.locator('.todo-list li')).toHaveCount(1);
  await expect(plants).toHaveCount(1);
  await page.getByLabel('Search todos').fill('@phone');
  await expect(bob).toHaveCount(1);
  await expect(plants).toHaveCount(0);
  await page.getByLabel('Search todos').fill('p1');
  await expect(plants).toHaveCount(1);
  await expect(bob).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('lists and repeating todos: four chips from one line, a new list, completing moves it on', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('lists'));
  const lists = page.getByRole('navigation', { name: 'Lists' });
  await expect(lists.getByRole('link', { name: /^Inbox/ })).toBeVisible();
  const saturday = await page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() + ((6 - d.getDay() + 7) % 7));
    const pad = (n: number) => String(n).padStart(2, '0');
    const iso = (x: Date) => `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
    const next = new Date(d);
    next.setDate(d.getDate() + 7);
    return { first: iso(d), next: iso(next) };
  });

  // One line, four chips: the rule, a list that does not exist yet, a label, a priority.
  const box = page.getByLabel('New todo');
  await box.fill('water plants every saturday #home @garden p2');
  await expect(page.getByRole('button', { name: /^Repeats every Saturday/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^New list home/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Label garden/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Priority 2/ })).toBeVisible();
  await expect(page.locator('.quick-add .quick-title')).toHaveText('water plants');
  await box.press('Enter');
  const plants = item(page, 'water plants');
  await expect(plants).toHaveCount(1);
  await expect(plants.getByRole('img', { name: /^Repeats every Saturday/ })).toBeVisible();
  await expect(lists.getByRole('link', { name: /^home\s*1$/ })).toBeVisible();

  const created = (await api(page, 'GET', '/api/todos')).body[0];
  const home = (await api(page, 'GET', '/api/lists')).body.find((l: any) => l.name === 'home');
  expect(created.listId).toBe(home.id);
  expect(created.labels).toEqual(['garden']);
  expect(created.priority).toBe(2);
  expect(created.repeat.text).toBe('every Saturday');
  expect(created.dateDue).toBe(saturday.first);

  // Completing a repeating todo moves it to its next date and keeps it open.
  // A click, not check(): the box of a repeating todo does not stay ticked (the todo moves
  // on and stays open), and check() clicks again until it is, completing it twice.
  const completing = page.waitForResponse((r) => r.request().method() === 'PATCH');
  await page.getByRole('checkbox', { name: 'Mark water plants as complete' }).click();
  expect((await completing).status()).toBe(200);
  await expect
    .poll(async () => (await api(page, 'GET', '/api/todos')).body[0].dateDue)
    .toBe(saturday.next);
  await expect(plants).not.toHaveClass(/completed/);

  // A new list from the sidebar; adding while it is shown puts the todo in it.
  await lists.getByLabel('New list').fill('Work');
  await lists.getByLabel('New list').press('Enter');
  await expect(lists.getByRole('link', { name: /^Work/ })).toHaveAttribute('aria-current', 'page');
  await expect(plants).toHaveCount(0);
  await box.fill('write report');
  await box.press('Enter');
  await expect(item(page, 'write report')).toHaveCount(1);
  await expect(lists.getByRole('link', { name: /^Work\s*1$/ })).toBeVisible();

  // Moving a todo to a list from its details; the list survives a reload in the address.
  await lists.getByRole('link', { name: /^home/ }).click();
  await page.getByRole('button', { name: 'Details of water plants' }).click();
  // Its history shows the day it was done.
  await expect(page.locator('.history')).toHaveText(/^Done [A-Z][a-z]{2} \d{1,2}$/);
  await page.getByLabel('List', { exact: true }).selectOption({ label: 'Work' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(plants).toHaveCount(0);
  await expect(lists.getByRole('link', { name: /^Work\s*2$/ })).toBeVisible();
  await lists.getByRole('link', { name: /^Work/ }).click();
  await page.reload();
  await expect(item(page, 'water plants')).toHaveCount(1);
  await expect(item(page, 'write report')).toHaveCount(1);

  // Deleting a list with its todos offers Undo, which brings them back into the Inbox.
  await page.getByRole('button', { name: 'Delete this list and its todos' }).click();
  await expect(lists.getByRole('link', { name: /^Work/ })).toHaveCount(0);
  await expect(item(page, 'write report')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(item(page, 'write report')).toHaveCount(1);
  await expect(lists.getByRole('link', { name: /^Inbox\s*2$/ })).toBeVisible();
  expect(errors).toEqual([]);
});
