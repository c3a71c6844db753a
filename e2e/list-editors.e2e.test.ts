import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * The list-and-edit screens on a phone at 390×844: a client's contacts, teams, escalation policies, message
 * templates and task templates are added, edited and deleted (each deletion confirmed) from their lists.
 */
describe.each(['sqlite', 'postgres'] as const)('list-and-edit screens on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let clientId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-list-editors-${name}`);
  const confirm = async (title: string, label: string) => {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: label }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    ({ hub } = env);
    ({ clientId } = await addClientSiteSystem(env.api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'dc01',
      kind: 'server',
    }));
    const tess = await env.ok('POST', '/api/users', {
      email: 'tess@example.com',
      name: 'Tess Tech',
      role: 'technician',
      password: 'a long enough password',
    });
    await env.ok('POST', '/api/escalation-policies', {
      name: 'Weekends',
      steps: [{ targets: [{ type: 'user', id: tess.id }], waitMinutes: 5 }],
    });
    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it("adds, edits and deletes a client's contact", async () => {
    await page.goto(`${hub.url}/clients/${clientId}`);
    await page.getByText('No contacts yet').waitFor();
    await page.getByRole('button', { name: 'Add contact' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add contact' });
    await dialog.getByLabel('Contact name').fill('Dana Reyes');
    await dialog.getByLabel('Phone').fill('+44 20 7946 0000');
    await dialog.getByLabel('Contact e-mail').fill('dana@harbour.example');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    const contacts = page.getByRole('list', { name: 'Contacts' });
    await contacts.getByRole('link', { name: 'Call +44 20 7946 0000' }).waitFor();

    await contacts.getByRole('button', { name: 'Edit Dana Reyes' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Dana Reyes' });
    await dialog.getByLabel('Role').fill('Practice manager');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await contacts.getByText('Practice manager').waitFor();
    await contacts.getByText('Dana Reyes').scrollIntoViewIfNeeded();
    await shot('1-contacts');

    await contacts.getByRole('button', { name: 'Delete Dana Reyes' }).click();
    await confirm('Delete Dana Reyes?', 'Delete contact');
    await page.getByText('No contacts yet').waitFor();
  });

  it('adds, edits and deletes a team', async () => {
    await page.goto(`${hub.url}/oncall/teams`);
    await page.getByText('No teams yet').waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    let dialog = page.getByRole('dialog', { name: 'New team' });
    await dialog.getByLabel('Name').fill('Field team');
    await dialog.getByLabel('Tess Tech').check();
    await dialog.getByRole('button', { name: 'Make team' }).click();
    await dialog.waitFor({ state: 'detached' });
    const teams = page.getByRole('list', { name: 'Teams' });
    await teams.getByText('Tess Tech').waitFor();

    await teams.getByRole('button', { name: 'Edit Field team' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Field team' });
    await dialog.getByLabel('Name').fill('Field engineers');
    await dialog.getByLabel('Ann Owner').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await teams.getByText('Field engineers').waitFor();
    await teams.getByText('Tess Tech, Ann Owner').waitFor();
    await shot('2-teams');

    await teams.getByRole('button', { name: 'Delete Field engineers' }).click();
    await confirm('Delete Field engineers?', 'Delete team');
    await page.getByText('No teams yet').waitFor();
  });

  it('deletes an escalation policy', async () => {
    await page.goto(`${hub.url}/oncall/policies`);
    const card = page.getByRole('region', { name: 'Weekends' });
    await card.getByText('1. Tess Tech — wait 5 min').waitFor();
    await shot('3-policies');
    await card.getByRole('button', { name: 'Delete Weekends' }).click();
    await confirm('Delete Weekends?', 'Delete policy');
    await page.getByText('No policies yet').waitFor();
  });

  it('adds, edits and deletes a message template', async () => {
    await page.goto(`${hub.url}/settings/message-templates`);
    await page.getByRole('button', { name: 'New template' }).click();
    let dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Used for').selectOption({ label: 'Checklist reports' });
    await dialog.getByLabel('Name').fill('Monday check done');
    await dialog.getByLabel('Subject').fill('{client}: the Monday check is done');
    await dialog.getByLabel('Message').fill('{checklist}: {result}');
    await dialog.getByRole('button', { name: 'Add template' }).click();
    await dialog.waitFor({ state: 'detached' });
    const reports = page.getByRole('list', { name: 'Checklist reports' });
    await reports.getByText('{client}: the Monday check is done').waitFor();

    await reports.getByRole('button', { name: 'Edit Monday check done' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit “Monday check done”' });
    await dialog.getByLabel('Subject').fill('{client}: Monday check');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await reports.getByText('{client}: Monday check', { exact: true }).waitFor();
    await reports.scrollIntoViewIfNeeded();
    await shot('4-message-templates');

    await reports.getByRole('button', { name: 'Delete Monday check done' }).click();
    await confirm('Delete “Monday check done”?', 'Delete template');
    await reports.getByText('Monday check done').waitFor({ state: 'detached' });
  });

  it('adds and deletes a task template', async () => {
    await page.goto(`${hub.url}/settings/task-templates`);
    await page.getByText('No templates yet').waitFor();
    await page.getByLabel('Task').fill('Be at the office when it opens');
    await page.getByLabel('Notes').fill('Report to the incident owner');
    await page.getByRole('button', { name: 'Add template' }).click();
    const tasks = page.getByRole('list', { name: 'Task templates' });
    await tasks.getByText('Report to the incident owner').waitFor();
    await shot('5-task-templates');
    await tasks.getByRole('button', { name: 'Delete Be at the office when it opens' }).click();
    await confirm('Delete this template?', 'Delete');
    await page.getByText('No templates yet').waitFor();
  });
});
