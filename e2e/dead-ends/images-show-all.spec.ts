import { expect, test } from '../support/app';

// Dead end 3, Images: with no project open the screen does not list every image on the engine, each
// with a Remove button; the others are behind "Show all", and Remove there asks first.
test('Images shows no stranger images until "Show all"; Remove asks, and Cancel keeps the image', async ({ launch }) => {
  const { page } = await launch();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Images' })).toBeFocused();
  await expect(page).toHaveTitle('Images · Benchtop');
  await expect(page.getByText('Open a project to see its images.')).toBeVisible();
  const local = page.getByRole('table', { name: 'Local images' });
  await expect(local).toHaveCount(0);

  // The test environment's engine always holds the analysis test images.
  await page.getByRole('button', { name: /^Show all \(\d+ more on this computer\)$/ }).click();
  await expect(local).toBeVisible();
  const first = local.getByRole('row').nth(1);
  const ref = await first.getAttribute('aria-label');
  expect(ref).toBeTruthy();
  await first.getByRole('button', { name: `Remove ${ref}` }).click();
  const confirm = page.getByRole('dialog', { name: `Remove ${ref}?` });
  await expect(confirm).toContainText(`The name ${ref} on this computer`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(local.getByRole('row', { name: ref ?? '' })).toBeVisible();
});
