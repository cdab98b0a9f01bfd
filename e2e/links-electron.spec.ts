import { expect, test } from './support/app';

// The Electron app itself (skipped, with the reason, where its binary is missing): a benchtop://
// link on the command line — how Windows and Linux start the app for a clicked link — reaches the
// consent dialog, and a hostile one is refused there before anything runs.
test('a link the app is started with is read by the allow-list and shown in the consent dialog', async ({ launch }) => {
  test.skip(test.info().project.name !== 'electron', 'Starts the Electron app with a link argument; the bridge has no command line.');
  const app = await launch({ args: ['benchtop://open?repo=file:///etc/passwd'] });
  const dialog = app.page.getByRole('dialog', { name: 'This link cannot be used' });
  await expect(dialog.getByTestId('error-code')).toHaveText('LINK_INVALID', { timeout: 30_000 });
  await expect(dialog).toContainText('must be an https:// address');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
