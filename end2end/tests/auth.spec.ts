import { test, expect, signUp, uniqueEmail, PASSWORD, watchForErrors } from './fixtures';

test('sign up, sign out and sign in again', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('auth');
  await signUp(page, server, email);
  await expect(page.getByText(email)).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toHaveText('You have signed out.');

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Wr0ng-password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  expect(errors).toEqual([]);
});

test('signing out while the list, the lists and the chat are still loading leaves no panic', async ({
  page,
  server,
}) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('early-out');
  await signUp(page, server, email);
  // The page's loads are answered only after the user has signed out: every task they
  // started resumes on a view that is gone.
  let release!: () => void;
  const signedOut = new Promise<void>((done) => (release = done));
  await page.route(/\/api\/(todos|lists|chat)/, async (route) => {
    await signedOut;
    await route.continue().catch(() => {});
  });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toHaveText('You have signed out.');
  release();
  // The held answers arrive and are dropped; signing in again works as usual.
  await page.waitForTimeout(500);
  await page.unroute(/\/api\/(todos|lists|chat)/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  expect(errors).toEqual([]);
});

test('sign-up explains a weak password and a taken email', async ({ page, server }) => {
  const email = uniqueEmail('weak');
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('alert')).toContainText('Password did not conform with policy');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email.toUpperCase());
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('alert')).toHaveText('An account with this email already exists. Sign in instead.');
});

test('the session survives a reload and the ID token is refreshed before it expires', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('refresh'));
  await page.reload();
  await expect(page.getByLabel('New todo')).toBeVisible();

  // Pretend the token is about to expire: the app must refresh it without a sign-in.
  const before = await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('tasko.session')!);
    session.issued_at_ms = Date.now() - 3_590_000;
    session.expires_at_ms = Date.now() + 10_000;
    localStorage.setItem('tasko.session', JSON.stringify(session));
    return session.id_token as string;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('tasko.session')!).id_token))
    .not.toBe(before);
  await expect(page.getByLabel('New todo')).toBeVisible();
  const expiresIn = await page.evaluate(
    () => JSON.parse(localStorage.getItem('tasko.session')!).expires_at_ms - Date.now(),
  );
  expect(expiresIn).toBeGreaterThan(3_000_000);
});

test('an expired session returns to sign-in with a message', async ({ page, server }) => {
  await signUp(page, server, uniqueEmail('expired'));
  await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('tasko.session')!);
    session.expires_at_ms = Date.now() - 1_000;
    session.refresh_token = 'revoked-or-expired';
    localStorage.setItem('tasko.session', JSON.stringify(session));
  });
  await page.reload();
  await expect(page.getByRole('status')).toHaveText('Your session has expired. Please sign in again.');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
