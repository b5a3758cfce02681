// Settings → Access tokens and Activity: a token created in the UI (shown once) works as a
// Bearer token for a script, what it changes shows in Activity with Undo, and a revoked
// token is refused.
import { test, expect, signUp, uniqueEmail, item, watchForErrors } from './fixtures';

test('a token made in settings adds a todo; Activity shows it and undoes it', async ({ page, server, request }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('pat'));

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings.getByRole('tab', { name: 'Access tokens' })).toHaveAttribute('aria-selected', 'true');
  await expect(settings.getByText('No access tokens yet.')).toBeVisible();
  await settings.getByLabel('Token name').fill('Garden script');
  await settings.getByLabel('Read and write').check();
  await settings.getByRole('button', { name: 'Create token' }).click();

  // Shown once, with Copy and the warning; listed without its secret.
  const shown = settings.locator('.new-token-value');
  await expect(shown).toHaveText(/^tasko_pat_\S{40,}$/);
  const token = (await shown.textContent())!;
  await expect(settings.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(settings.getByText('Copy it now: it will not be shown again.')).toBeVisible();
  const row = settings.locator('.token', { hasText: 'Garden script' });
  await expect(row).toContainText('Read and write');
  await expect(row).toContainText('Last used never');
  await expect(row).not.toContainText(token);

  // A script uses it.
  const added = await request.post(`${server.url}/api/todos`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: 'Water the ferns' },
  });
  expect(added.status()).toBe(201);
  await expect(item(page, 'Water the ferns')).toHaveCount(1);

  // Activity names the token and the todo, and Undo takes the add back.
  await settings.getByRole('tab', { name: 'Activity' }).click();
  const entry = settings.locator('.activity', { hasText: 'Water the ferns' });
  await expect(entry).toContainText('Added Water the ferns');
  await expect(entry.locator('em')).toHaveText('Water the ferns');
  await expect(entry).toContainText('Garden script');
  await entry.getByRole('button', { name: 'Undo' }).click();
  await expect(settings.getByText('Undone.')).toBeVisible();
  await expect(item(page, 'Water the ferns')).toHaveCount(0);
  await expect(entry.getByRole('button', { name: 'Undo' })).toHaveCount(0);

  // Revoked after a confirmation: the token stops working at once.
  await settings.getByRole('tab', { name: 'Access tokens' }).click();
  const listed = settings.locator('.token', { hasText: 'Garden script' });
  await expect(listed).not.toContainText('Last used never');
  await listed.getByRole('button', { name: 'Revoke' }).click();
  await expect(listed.getByRole('alert')).toContainText('Revoke “Garden script”?');
  await listed.getByRole('button', { name: 'Revoke token' }).click();
  await expect(settings.getByText('No access tokens yet.')).toBeVisible();
  const refused = await request.get(`${server.url}/api/todos`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(refused.status()).toBe(401);
  expect(errors).toEqual([]);
});
