// The flows a real Cognito pool needs: with IDP_REQUIRE_CONFIRMATION=1 the local IdP behaves
// like one (sign-ups wait for an emailed code; the codes go to the server log, read here).
import { test as base, expect, TaskoServer, PASSWORD, submitSignUp, uniqueEmail, watchForErrors } from './fixtures';

const test = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    const server = new TaskoServer({ IDP_REQUIRE_CONFIRMATION: '1', LOG: 'warn,server::idp::codes=info' }, true);
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

test('sign-up continues to the emailed code, and a new code can be sent', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('confirm');
  await submitSignUp(page, server, email);

  await expect(page.getByRole('heading', { name: 'Confirm your email' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(`We sent a code to ${email[0]}***@e***`);
  const first = await server.codeFor(email, 'ConfirmSignUp');
  await page.getByLabel('Code from the email').fill(first === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('That code is not right. Check the email and try again.');

  server.output = '';
  await page.getByRole('button', { name: 'Send a new code' }).click();
  const second = await server.codeFor(email, 'ConfirmSignUp');
  await page.getByLabel('Code from the email').fill(second);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  expect(errors).toEqual([]);
});

test('signing in unconfirmed leads to the code screen', async ({ page, server }) => {
  const email = uniqueEmail('unconfirmed');
  await submitSignUp(page, server, email);
  await expect(page.getByRole('heading', { name: 'Confirm your email' })).toBeVisible();
  const code = await server.codeFor(email, 'ConfirmSignUp');

  // Come back later (a reload forgets the password typed) and sign in.
  await page.reload();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Confirm your email' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Your email is not confirmed yet');
  await page.getByLabel('Code from the email').fill(code);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
});

test('forgot password: a code by email, a new password, signed in with it', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const email = uniqueEmail('forgot');
  await submitSignUp(page, server, email);
  await page.getByLabel('Code from the email').fill(await server.codeFor(email, 'ConfirmSignUp'));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const code = await server.codeFor(email, 'ResetPassword');
  await page.getByLabel('Code from the email').fill(code);
  await page.getByLabel('New password').fill('weak');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toContainText('Password did not conform with policy');
  await page.getByLabel('New password').fill('N3w-Password!');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();

  // The old password no longer works; the new one does.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
  await page.getByLabel('Password').fill('N3w-Password!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  expect(errors).toEqual([]);
});
