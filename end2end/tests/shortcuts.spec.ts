// Keyboard shortcuts: n (add box), / (chat), ? (the list), Esc (close); never while typing.
import { test, expect, signUp, uniqueEmail, addTodo, watchForErrors } from './fixtures';

test('n, / and ? act from the page, not while typing, and Esc closes', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('keys'));
  await addTodo(page, 'Pay rent');
  const addBox = page.getByLabel('New todo');
  const chat = page.getByLabel('Message the assistant');

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(chat).toBeFocused();
  await expect(chat).toHaveValue(''); // the key opened the chat, it was not typed into it

  // Typing in a field types: "n" and "?" stay in the chat box.
  await page.keyboard.type('n?');
  await expect(chat).toHaveValue('n?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);

  await chat.blur();
  await page.keyboard.press('n');
  await expect(addBox).toBeFocused();
  await expect(addBox).toHaveValue('');

  await addBox.blur();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Ask the assistant');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // Esc closes the open details too.
  await page.getByRole('button', { name: 'Details of Pay rent' }).click();
  await expect(page.getByRole('heading', { name: 'Details' })).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Details' })).toHaveCount(0);
  expect(errors).toEqual([]);
});
