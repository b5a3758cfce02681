// Settings → Your data: Export downloads the account as one file; Import of that file into a
// fresh account gives the same lists and todos (checked through the API); a Todoist CSV
// export imported through the same button lands in a new list.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from '@playwright/test';
import { api, expect, signUp, test, uniqueEmail, watchForErrors } from './fixtures';

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
}

/** Chooses `path` through the Import button's file picker. */
async function importFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import' }).click();
  await (await chooser).setFiles(path);
}

/** What must survive the round trip: lists by name, todos without ids and timestamps. */
function content(doc: any): { lists: string[]; todos: string[] } {
  const nameOf = (id: string) => doc.lists.find((l: any) => l.id === id)?.name;
  const lists = doc.lists.map((l: any) => `${l.name}|${l.color}|${l.inbox}`).sort();
  const todos = doc.todos
    .map((t: any) =>
      JSON.stringify({
        title: t.title,
        list: nameOf(t.listId),
        labels: t.labels,
        priority: t.priority,
        subtasks: t.subtasks.map((s: any) => [s.title, s.done]),
        rrule: t.repeat?.rrule ?? null,
        afterCompletion: t.repeat?.afterCompletion ?? null,
        dateDue: t.dateDue,
        dueTime: t.dueTime ?? null,
        description: t.description,
        notes: t.notes,
        completed: t.completed,
      }),
    )
    .sort();
  return { lists, todos };
}

test('export through the button, import into a fresh account: the same lists and todos', async ({
  page,
  server,
  browser,
}, testInfo) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('export'));
  const home = (await api(page, 'POST', '/api/lists', { name: 'Home' })).body;
  await api(page, 'POST', '/api/lists', { name: 'Work' });
  expect(
    (
      await api(page, 'POST', '/api/todos', {
        title: 'Water plants',
        listId: home.id,
        labels: ['garden'],
        priority: 2,
        dateDue: '2027-01-09',
        dueTime: '09:30',
        repeat: 'every saturday',
        subtasks: [{ title: 'Fern' }, { title: 'Cactus', done: true }],
        notes: 'not too much',
      })
    ).status,
  ).toBe(201);
  expect((await api(page, 'POST', '/api/todos', { title: 'Inbox thing', priority: 1, labels: ['quick'] })).status).toBe(
    201,
  );

  await openSettings(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tasko-export-\d{4}-\d{2}-\d{2}\.json$/);
  const saved = testInfo.outputPath(file.suggestedFilename());
  await file.saveAs(saved);
  const original = (await api(page, 'GET', '/api/export')).body;
  expect(errors).toEqual([]);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = watchForErrors(other);
  await signUp(other, server, uniqueEmail('import'));
  await openSettings(other);
  await importFile(other, saved);
  await expect(other.getByRole('status').filter({ hasText: 'Imported 2 todos and 2 new lists.' })).toBeVisible();
  // The lists and todos are loaded again without a reload.
  await expect(other.getByRole('link', { name: /Home/ })).toBeVisible();
  await expect(other.getByText('Inbox thing')).toBeVisible();
  const copy = (await api(other, 'GET', '/api/export')).body;
  expect(content(copy)).toEqual(content(original));
  expect(content(copy).todos.length).toBe(2);
  expect(otherErrors).toEqual([]);
  await fresh.close();
});

test('a Todoist CSV imported through the button lands in a new list', async ({ page, server }, testInfo) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('todoist'));
  const csv = testInfo.outputPath('Groceries.csv');
  writeFileSync(
    csv,
    '\ufeffTYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n' +
      'task,Buy milk @dairy,,1,1,Ann (1),,tomorrow,en,UTC\r\n' +
      ',,,,,,,,,\r\n' +
      'note,"Semi-skimmed,\r\nnot whole",,,,,,,,\r\n' +
      'task,Bake bread,,4,1,,,every sunday,en,UTC\r\n' +
      'task,Flour,,4,2,,,,,\r\n' +
      'section,Later,,,,,,,,\r\n' +
      'task,Plan the party,,2,1,,,,,\r\n' +
      'meeting,Not a row type,,,,,,,,\r\n',
  );
  await openSettings(page);
  await importFile(page, csv);
  const result = page.getByRole('status').filter({ hasText: 'into the new list' });
  await expect(result).toContainText('Imported 3 todos into the new list “Todoist import”.');
  await expect(result).toContainText('1 row was not imported:');
  await expect(result).toContainText('Line 10: TYPE “meeting” is none of task, section, note.');

  await page.getByRole('link', { name: /Todoist import/ }).click();
  await expect(page.getByText('Buy milk')).toBeVisible();
  await expect(page.getByText('Bake bread')).toBeVisible();

  const lists = (await api(page, 'GET', '/api/lists')).body;
  const list = lists.find((l: any) => l.name === 'Todoist import');
  expect(list).toBeTruthy();
  const todos = (await api(page, 'GET', `/api/todos?list=${list.id}`)).body;
  const byTitle = Object.fromEntries(todos.map((t: any) => [t.title, t]));
  expect(Object.keys(byTitle).sort()).toEqual(['Bake bread', 'Buy milk', 'Plan the party']);
  expect(byTitle['Buy milk'].labels).toEqual(['dairy']);
  expect(byTitle['Buy milk'].priority).toBe(1);
  expect(byTitle['Buy milk'].notes).toBe('Semi-skimmed,\nnot whole');
  expect(byTitle['Bake bread'].subtasks.map((s: any) => s.title)).toEqual(['Flour']);
  expect(byTitle['Bake bread'].repeat.rrule).toContain('BYDAY=SU');
  expect(byTitle['Plan the party'].labels).toEqual(['later']);
  expect(byTitle['Plan the party'].priority).toBe(2);
  expect(errors).toEqual([]);
});
