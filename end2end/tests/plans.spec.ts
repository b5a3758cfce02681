// Plan cards: "sort out my overdue todos" proposes one card of changes; the user unticks
// some, changes a date and applies the rest as one change; Undo on the card puts all of it
// back.
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors } from './fixtures';
import { callTool } from './oauth';
import type { Page } from '@playwright/test';

const assistant = (page: Page) => page.getByRole('complementary', { name: 'Assistant' });

async function ask(page: Page, message: string): Promise<void> {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
}

async function dueDates(page: Page): Promise<Record<string, string>> {
  const { status, body } = await api(page, 'GET', '/api/todos');
  expect(status).toBe(200);
  return Object.fromEntries(body.map((t: any) => [t.title, t.dateDue]));
}

test('a plan card: untick two, change a date, apply the rest, undo all of it', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('plans'));
  for (let n = 1; n <= 8; n++) {
    const created = await api(page, 'POST', '/api/todos', { title: `Late ${n}`, dateDue: `2020-01-0${n}` });
    expect(created.status).toBe(201);
  }
  await expect(item(page, 'Late 8')).toBeVisible({ timeout: 10_000 });
  const before = await dueDates(page);

  await ask(page, 'sort out my overdue todos');
  const card = assistant(page).locator('.plan-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('at most 3 a day');
  await expect(card.getByRole('checkbox')).toHaveCount(8);
  // Nothing changes before Apply.
  expect(await dueDates(page)).toEqual(before);

  await card.getByRole('checkbox', { name: /Move Late 1 from/ }).uncheck();
  await card.getByRole('checkbox', { name: /Move Late 2 from/ }).uncheck();
  await card.getByLabel(/Date of “Move Late 3 from/).fill('2031-05-04');
  await card.getByRole('button', { name: 'Apply (6)' }).click();
  await expect(card.getByRole('status')).toContainText('Applied 6 of 8 changes.');

  // The list shows exactly the chosen changes.
  await expect(item(page, 'Late 3')).toContainText('May 4, 2031');
  await expect(item(page, 'Late 1')).toContainText('Overdue');
  await expect(item(page, 'Late 2')).toContainText('Overdue');
  for (const n of [4, 5, 6, 7, 8]) {
    await expect(item(page, `Late ${n}`)).not.toContainText('Overdue');
  }
  const after = await dueDates(page);
  expect(after['Late 1']).toBe('2020-01-01');
  expect(after['Late 2']).toBe('2020-01-02');
  expect(after['Late 3']).toBe('2031-05-04');
  const perDay: Record<string, number> = {};
  for (const n of [4, 5, 6, 7, 8]) {
    const due = after[`Late ${n}`];
    expect(due > '2025-01-01').toBe(true);
    perDay[due] = (perDay[due] ?? 0) + 1;
  }
  expect(Math.max(...Object.values(perDay))).toBeLessThanOrEqual(3);

  // Undo on the card: all of them back.
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.getByText('Undone')).toBeVisible();
  for (let n = 1; n <= 8; n++) {
    await expect(item(page, `Late ${n}`)).toContainText('Overdue');
  }
  expect(await dueDates(page)).toEqual(before);

  // After a reload the card shows its answer and that it was undone.
  await page.reload();
  const again = assistant(page).locator('.plan-card');
  await expect(again.getByRole('status')).toContainText('Applied 6 of 8 changes.');
  await expect(again.getByText('Undone')).toBeVisible();
  expect(errors).toEqual([]);
});

// An MCP client's plan: no chat of Tasko's shows it, so its result carries a link; the link
// opens the app with the card above the conversation, where the user chooses and applies.
test('a plan proposed by an MCP client opens by its link and applies what the user keeps', async ({
  page,
  server,
  request,
}) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('mcp-plan'));
  const minted = await api(page, 'POST', '/api/tokens', { name: 'Desk client', access: 'write' });
  expect(minted.status).toBe(201);
  const late = await api(page, 'POST', '/api/todos', { title: 'File taxes', dateDue: '2020-01-01' });
  const items = [
    { tool: 'updateTodo', text: 'Move *File taxes* to May 4', arguments: { todoId: late.body.id, dateDue: '2031-05-04' } },
    { tool: 'addTodo', text: 'Add *Book accountant*', arguments: { title: 'Book accountant' } },
    { tool: 'addTodo', text: 'Add *Find receipts*', arguments: { title: 'Find receipts' } },
  ];
  const called = await callTool(request, server.url, minted.body.token, 'proposePlan', {
    summary: 'Tax week',
    items: JSON.stringify(items),
  });
  expect(called.status).toBe(200);
  const url: string = called.body.result.structuredContent.planUrl;
  expect(url).toContain('/?plan=');

  await page.goto(url);
  const card = assistant(page).getByRole('region', { name: 'Proposed plan' }).locator('.plan-card');
  await expect(card).toContainText('Tax week');
  await expect(card.getByRole('checkbox')).toHaveCount(3);
  // The link is used once: the address no longer names the plan.
  await expect(page).not.toHaveURL(/plan=/);
  await card.getByRole('checkbox', { name: /Find receipts/ }).uncheck();
  await card.getByRole('button', { name: 'Apply (2)' }).click();
  await expect(card.getByRole('status')).toContainText('Applied 2 of 3 changes.');
  await expect(item(page, 'Book accountant')).toBeVisible();
  await expect(item(page, 'File taxes')).toContainText('May 4, 2031');
  const { body } = await api(page, 'GET', '/api/todos');
  expect(body.map((t: any) => t.title).sort()).toEqual(['Book accountant', 'File taxes']);
  expect(errors).toEqual([]);
});
