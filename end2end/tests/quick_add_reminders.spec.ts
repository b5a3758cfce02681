// Reminders typed in quick add: `!` marks and "remind me …" words anywhere in the line, a
// 🔔 chip each, sent as the todo's `reminders` (an `at` moment in the browser's zone); a
// reminder before a todo without a date gets a sentence instead of a todo; Backspace on the
// chip keeps its words in the title.
import { test, expect, signUp, uniqueEmail, item, api, watchForErrors } from './fixtures';

test('reminders from quick add: chips, the saved reminders, the sentence, Backspace', async ({ page, server }) => {
  const errors = watchForErrors(page);
  await signUp(page, server, uniqueEmail('remind-words'));
  const box = page.getByLabel('New todo');

  // Two reminders and a due moment in one line.
  await box.fill('dentist tomorrow 3pm !1h remind me the day before');
  await expect(page.getByRole('button', { name: /^Reminder 1 h before/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Reminder 1 day before/ })).toBeVisible();
  await expect(page.locator('.quick-add .quick-title')).toHaveText('dentist');
  await box.press('Enter');
  await expect(item(page, 'dentist')).toHaveCount(1);

  // A moment: saved as RFC 3339, 09:00 tomorrow where the browser is.
  await box.fill('call mom !tomorrow 9am');
  await expect(page.getByRole('button', { name: /^Reminder .* 09:00/ })).toBeVisible();
  await box.press('Enter');
  await expect(item(page, 'call mom')).toHaveCount(1);

  // "Before" with no date: a sentence, nothing added, the line kept.
  await box.fill('water plants !30m');
  await box.press('Enter');
  await expect(page.locator('.add-box .hint')).toContainText('reminds before the due date');
  await expect(item(page, 'water plants')).toHaveCount(0);
  await expect(box).toHaveValue('water plants !30m');

  // Backspace on the chip keeps "!1h" as words of the title.
  await box.fill('sell !1h tickets friday');
  const chip = page.getByRole('button', { name: /^Reminder 1 h before/ });
  await chip.focus();
  await page.keyboard.press('Backspace');
  await expect(chip).toHaveCount(0);
  await expect(page.locator('.quick-add .quick-title')).toHaveText('sell !1h tickets');
  await box.press('Enter');
  await expect(item(page, 'sell !1h tickets')).toHaveCount(1);

  const saved = (await api(page, 'GET', '/api/todos')).body;
  const byTitle = Object.fromEntries(saved.map((t: any) => [t.title, t]));
  expect(byTitle['dentist'].dueTime).toBe('15:00');
  expect(byTitle['dentist'].reminders).toEqual([{ beforeMinutes: 60 }, { beforeMinutes: 1440 }]);
  expect(byTitle['sell !1h tickets'].reminders).toEqual([]);
  const [moment] = byTitle['call mom'].reminders;
  const local = await page.evaluate((at: string) => {
    const d = new Date(at);
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    return { hours: d.getHours(), minutes: d.getMinutes(), day: d.getDate() === tomorrow.getDate() };
  }, moment.at);
  expect(local).toEqual({ hours: 9, minutes: 0, day: true });
  expect(errors).toEqual([]);
});
