import { test, expect, signUp, uniqueEmail, addTodo, item, PASSWORD, watchForErrors } from './fixtures';

test('add, edit, complete, filter, clear and delete like TodoMVC', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('mvc'));
  await expect(page.getByText('Nothing to do yet')).toBeVisible();

  // Enter adds (trimmed); an empty entry is refused with a hint.
  await page.getByLabel('New todo').press('Enter');
  await expect(page.getByText('Type what needs to be done, then press Enter.')).toBeVisible();
  await expect(page.locator('.todo-list li')).toHaveCount(0);
  await addTodo(page, '   Buy milk   ');
  await expect(item(page, 'Buy milk')).toHaveCount(1);
  await addTodo(page, 'Book dentist');
  await addTodo(page, 'Learn ansible');
  await expect(page.getByLabel('New todo')).toHaveValue('');
  await expect(page.locator('.todo-count')).toHaveText('3 items left');

  // Toggle one.
  await page.getByRole('checkbox', { name: 'Mark Buy milk as complete' }).check();
  await expect(item(page, 'Buy milk')).toHaveClass(/completed/);
  await expect(page.locator('.todo-count')).toHaveText('2 items left');

  // Filters live in the URL and survive a reload.
  await page.getByRole('link', { name: 'Active' }).click();
  await expect(page).toHaveURL(/#\/active$/);
  await expect(item(page, 'Buy milk')).toHaveCount(0);
  await expect(page.locator('.todo-list li')).toHaveCount(2);
  await page.reload();
  await expect(page.getByRole('link', { name: 'Active' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.todo-list li')).toHaveCount(2);
  await page.getByRole('link', { name: 'Completed' }).click();
  await expect(page.locator('.todo-list li')).toHaveCount(1);
  await expect(item(page, 'Buy milk')).toHaveCount(1);
  await page.getByRole('link', { name: 'All' }).click();
  await expect(page.locator('.todo-list li')).toHaveCount(3);

  // Double-click edits: Enter saves, Esc cancels, an empty title deletes.
  await item(page, 'Learn ansible').getByText('Learn ansible').dblclick();
  const edit = page.getByLabel('New title for Learn ansible');
  await edit.fill('Learn ansible properly');
  await edit.press('Enter');
  await expect(item(page, 'Learn ansible properly')).toHaveCount(1);

  await item(page, 'Book dentist').getByText('Book dentist').dblclick();
  await page.getByLabel('New title for Book dentist').fill('Something else');
  await page.getByLabel('New title for Book dentist').press('Escape');
  await expect(item(page, 'Book dentist')).toHaveCount(1);
  await expect(item(page, 'Something else')).toHaveCount(0);

  // Blur saves too.
  await page.getByRole('button', { name: 'Edit Book dentist' }).click();
  await page.getByLabel('New title for Book dentist').fill('Book dentist for Friday');
  await page.getByLabel('New todo').click();
  await expect(item(page, 'Book dentist for Friday')).toHaveCount(1);

  await item(page, 'Learn ansible properly').getByText('Learn ansible properly').dblclick();
  await page.getByLabel('New title for Learn ansible properly').fill('   ');
  await page.getByLabel('New title for Learn ansible properly').press('Enter');
  await expect(item(page, 'Learn ansible properly')).toHaveCount(0);
  await expect(page.locator('.todo-count')).toHaveText('1 item left');

  // Clear completed (hidden when nothing is completed).
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect(item(page, 'Buy milk')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Clear completed' })).toHaveCount(0);

  // Toggle all, both ways.
  await addTodo(page, 'Water plants');
  // The list changes once the server has answered, so click and wait for the outcome.
  await page.getByLabel('Mark all as complete').click();
  await expect(page.locator('.todo-list li.completed')).toHaveCount(2);
  await expect(page.getByLabel('Mark all as complete')).toBeChecked();
  await expect(page.locator('.todo-count')).toHaveText('0 items left');
  await page.getByLabel('Mark all as complete').click();
  await expect(page.locator('.todo-list li.completed')).toHaveCount(0);
  await expect(page.getByLabel('Mark all as complete')).not.toBeChecked();

  // Delete.
  await page.getByRole('button', { name: 'Delete Water plants' }).click();
  await expect(item(page, 'Water plants')).toHaveCount(0);
  await expect(page.locator('.todo-list li')).toHaveCount(1);

  // What the page shows is what the server stored.
  await page.reload();
  await expect(page.locator('.todo-list li')).toHaveCount(1);
  await expect(item(page, 'Book dentist for Friday')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('details: due date, description and notes are saved and shown at a glance', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('detail'));
  await addTodo(page, 'Pay rent');
  await addTodo(page, 'File taxes');
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await page.getByLabel('Due date').fill(today);
  await page.getByLabel('Description').fill('Transfer to the landlord');
  await page.getByLabel('Notes').fill('IBAN in the contract\nsecond line');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(item(page, 'Pay rent').locator('.due')).toHaveText('Due today');

  await page.getByRole('button', { name: 'Details of File taxes' }).click();
  await page.getByLabel('Due date').fill('2020-01-15');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(item(page, 'File taxes').locator('.due')).toHaveText('Overdue · Jan 15, 2020');

  await page.reload();
  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await expect(page.getByLabel('Due date')).toHaveValue(today);
  await expect(page.getByLabel('Description')).toHaveValue('Transfer to the landlord');
  await expect(page.getByLabel('Notes')).toHaveValue('IBAN in the contract\nsecond line');
  await page.getByRole('button', { name: 'No due date' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(item(page, 'Pay rent').locator('.due')).toHaveCount(0);

  // Esc closes without saving.
  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await page.getByLabel('Description').fill('not saved');
  await page.getByLabel('Description').press('Escape');
  await expect(page.getByLabel('Description')).toHaveCount(0);
  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await expect(page.getByLabel('Description')).toHaveValue('Transfer to the landlord');
});

test('an edit made elsewhere is reported, not overwritten', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('conflict'));
  await addTodo(page, 'Shared todo');
  await page.getByRole('button', { name: 'Details of Shared todo' }).click();
  // Another client changes the todo while the form is open.
  await page.evaluate(async () => {
    const token = JSON.parse(localStorage.getItem('tasko.session')!).id_token;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const [todo] = await (await fetch('/api/todos', { headers })).json();
    await fetch(`/api/todos/${todo.id}`, {
      method: 'PATCH', headers, body: JSON.stringify({ version: todo.version, notes: 'from elsewhere' }),
    });
  });
  await page.getByLabel('Notes').fill('from this form');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('changed elsewhere');
  await page.getByRole('button', { name: 'Details of Shared todo' }).click();
  await expect(page.getByLabel('Notes')).toHaveValue('from elsewhere');
});

test('data and session survive a reload and a server restart', async ({ page, server }) => {
  const email = uniqueEmail('restart');
  await signUp(page, server, email);
  await addTodo(page, 'Survive restarts');
  await page.getByRole('checkbox', { name: 'Mark Survive restarts as complete' }).check();
  await expect(item(page, 'Survive restarts')).toHaveClass(/completed/);

  await page.reload();
  await expect(item(page, 'Survive restarts')).toHaveClass(/completed/);

  await server.restart();
  await page.reload();
  await expect(page.getByText(email)).toBeVisible();
  await expect(item(page, 'Survive restarts')).toHaveClass(/completed/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(item(page, 'Survive restarts')).toHaveCount(1);
});

test('a todo title is shown as text, never as markup', async ({ page, server }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await signUp(page, server, uniqueEmail('xss'));
  const scripts = await page.locator('script').count();
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  await addTodo(page, evil);
  await expect(item(page, evil)).toHaveCount(1);
  await expect(page.locator('.todo-list img')).toHaveCount(0);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(dialogs).toBe(0);
});

test('usable at phone width', async ({ page, server }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUp(page, server, uniqueEmail('phone'));
  await addTodo(page, 'Small screen todo');
  await page.getByRole('checkbox', { name: 'Mark Small screen todo as complete' }).check();
  await expect(page.locator('.todo-count')).toHaveText('0 items left');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
});
