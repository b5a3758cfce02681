// FILES=s3 against moto (started by scripts/with-moto.sh in `make e2e`): the browser sends the
// bytes straight to the bucket with the presigned PUT and downloads with a presigned GET.
import { test as base, expect, TaskoServer, signUp, uniqueEmail, addTodo, watchForErrors } from './fixtures';
import { readFileSync } from 'node:fs';
import { PDF, dropOn, fileTransfer } from './drop';

const test = base.extend<{ server: TaskoServer }>({
  server: async ({}, use) => {
    if (!process.env.AWS_ENDPOINT_URL) throw new Error('AWS_ENDPOINT_URL is not set: run through `make e2e` (starts moto)');
    const server = new TaskoServer({
      FILES: 's3',
      FILES_S3_BUCKET: `tasko-e2e-${Date.now()}`,
      FILES_S3_CREATE_BUCKET: '1',
    });
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  },
});

test('with S3 the browser uploads and downloads directly, with presigned requests', async ({ page, server }) => {
  const errors = watchForErrors(page);
  const storage = new URL(process.env.AWS_ENDPOINT_URL!).origin;
  await signUp(page, server, uniqueEmail('s3'));
  await addTodo(page, 'Scan the contract');
  await page.getByRole('button', { name: 'Details of Scan the contract' }).click();
  const files = page.locator('section.detail .todo-files');
  await expect(files).toContainText('No files yet');

  const direct = page.waitForRequest((r) => r.method() === 'PUT' && r.url().startsWith(storage) && r.url().includes('X-Amz-Signature='));
  await dropOn(page, files.locator('.drop-zone'), await fileTransfer(page, 'contract.pdf', 'application/pdf', PDF));
  const put = await direct;
  expect(put.headers()['authorization']).toBeUndefined(); // the signature is in the URL, not our token
  const row = files.locator('li.file', { hasText: 'contract.pdf' });
  await expect(row).toBeVisible();

  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Download contract.pdf' }).click();
  const download = await downloading;
  expect(download.url().startsWith(storage)).toBe(true);
  expect(download.suggestedFilename()).toBe('contract.pdf');
  expect(Array.from(readFileSync(await download.path()))).toEqual(PDF);
  expect(errors).toEqual([]);
});
