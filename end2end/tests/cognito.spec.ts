// AUTH=cognito + STORE=dynamodb against moto (started by scripts/with-moto.sh in `make e2e`):
// the browser signs in through the Cognito protocol with the same code as for the local IdP.
import { test as base, expect, TaskoServer, addTodo, item, watchForErrors } from './fixtures';

const PASSWORD = 'Corr3ct-Horse!';

async function cognito(operation: string, body: object): Promise<any> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: run through `make e2e` (starts moto)');
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const test = base.extend<{ email: string; server: TaskoServer }>({
  email: async ({}, use) => use(`moto-${Date.now()}@example.com`),
  server: async ({ email }, use) => {
    const pool = (await cognito('CreateUserPool', { PoolName: `tasko-e2e-${Date.now()}` })).UserPool.Id;
    const client = (
      await cognito('CreateUserPoolClient', {
        UserPoolId: pool,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      })
    ).UserPoolClient.ClientId;
    await cognito('AdminCreateUser', {
      UserPoolId: pool,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    await cognito('AdminSetUserPassword', { UserPoolId: pool, Username: email, Password: PASSWORD, Permanent: true });
    const endpoint = process.env.AWS_ENDPOINT_URL!;
    const server = new TaskoServer({
      AUTH: 'cognito',
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: pool,
      COGNITO_CLIENT_ID: client,
      COGNITO_JWKS_URL: `${endpoint}/${pool}/.well-known/jwks.json`,
      COGNITO_ENDPOINT: `${endpoint}/`,
      STORE: 'dynamodb',
      DYNAMODB_TABLE_PREFIX: `e2e${Date.now()}_`,
      DYNAMODB_CREATE_TABLES: '1',
      LOCAL_AGENT_CHUNK_DELAY_MS: '0',
    });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

test('sign in through Cognito (moto) and use the app on DynamoDB', async ({ page, server, email }) => {
  const errors = watchForErrors(page);
  await page.goto(server.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('Wr0ng-password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('New todo')).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  await addTodo(page, 'Stored in DynamoDB');
  await page.getByRole('checkbox', { name: 'Mark Stored in DynamoDB as complete' }).check();
  await expect(item(page, 'Stored in DynamoDB')).toHaveClass(/completed/);

  const input = page.getByLabel('Message the assistant');
  await input.fill('add call the bank tomorrow');
  await input.press('Enter');
  await expect(item(page, 'Call the bank')).toHaveCount(1);

  await page.reload();
  await expect(item(page, 'Stored in DynamoDB')).toHaveClass(/completed/);
  await expect(item(page, 'Call the bank')).toHaveCount(1);
  await expect(page.getByRole('complementary', { name: 'Assistant' }).locator('.bubble.user')).toHaveCount(1);
  expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
});
