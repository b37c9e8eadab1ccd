/**
 * The PWA in real Chromium (phone viewport) against the real local stack: sign-in with OIDC + PKCE → command →
 * job status → PR list → PR diff → approval with a virtual WebAuthn authenticator → kill switch → the next
 * command is refused; offline shows saved data and blocks writes; dark mode; push notifications; idle
 * sign-out. Every screen gets an axe-core check and a screenshot in `.test-results/screenshots/`.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { axe, buildApp, launch, PHONE, shot, signIn, signOut, watchCsp } from './browser.js';
import { REPO, startStack } from './stack.js';
import type { Stack } from './stack.js';

let dist: string;
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let csp: string[];
const a11y: string[] = [];
const tokenRequests: string[] = [];

/** Screenshot and accessibility-check the current screen. */
async function look(name: string): Promise<void> {
  await shot(page, name);
  a11y.push(...(await axe(page)).map((v) => `${name}: ${v}`));
}

async function forgeJson(path: string): Promise<unknown> {
  const res = await fetch(`${stack.forge.apiUrl}${path}`, {
    headers: { authorization: `token ${stack.forge.tokenForInstallation()}` },
  });
  return res.json();
}

beforeAll(async () => {
  dist = buildApp();
  stack = await startStack({ dist });
  browser = await launch();
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, colorScheme: 'light' });
  page = await context.newPage();
  csp = watchCsp(page);
  page.on('request', (r) => {
    if (r.url().startsWith(`${stack.login.url}/token`)) tokenRequests.push(r.postData() ?? '');
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

describe('PWA on the local stack', () => {
  it('serves the app with a strict CSP and signs in with the authorization code flow + PKCE', async () => {
    const res = await fetch(`${stack.url}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    await page.goto(`${stack.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await look('01-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Ada Admin/ }).waitFor();
    await shot(page, '02-identity-provider');
    await page.getByRole('button', { name: /Ada Admin/ }).click();
    await page.getByRole('heading', { name: 'New command' }).waitFor();
    expect(page.url()).toBe(`${stack.url}/`); // code and state are gone from the address bar
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]).toMatch(/grant_type=authorization_code/);
    expect(tokenRequests[0]).toMatch(/code_verifier=[\w-]{43,}/);
    expect(await page.locator('.who').innerText()).toContain('Ada Admin');
  }, 60_000);

  it('submits a command and follows the job to pr_opened', async () => {
    await page.getByLabel('Target repository').fill(REPO);
    await page.getByLabel('Command').selectOption('codegen');
    await page.getByLabel('Template').selectOption({ label: 'refactor code' });
    await page.getByLabel('What should change?').fill('Add a farewell message');
    await look('03-command');
    await page.getByRole('button', { name: 'Submit command' }).click();
    await page.getByText(/Job [0-9a-f]{8} for autocode-sandbox\/foundation is queued/).waitFor();
    await page.getByRole('link', { name: 'Watch job' }).click();
    await page.locator('.job-state', { hasText: 'pr opened' }).waitFor({ timeout: 30_000 });
    await look('04-job-status');
    const dispatch = stack.forge.dispatches.find((d) => d.eventType === 'autocode.codegen');
    // The template is chosen the way codegen documents it: `/<name>` at the start of the command text.
    expect(dispatch?.clientPayload.prompt).toBe('/refactor_code Add a farewell message');
  }, 60_000);

  it('lists the PR with status badges and shows its diff', async () => {
    await page.goto(`${stack.url}/#/prs`);
    const item = page.getByRole('link', { name: /autocode: Add a farewell message/ });
    await item.waitFor();
    await item.getByText('autocode/policy: success').waitFor();
    await look('05-pr-list');
    await item.click();
    await page.getByRole('heading', { name: /Files changed \(2\)/ }).waitFor();
    const diff = page.getByRole('region', { name: 'Diff of src/greeting.ts' });
    expect(await diff.innerText()).toContain("export const farewell = 'goodbye';");
    expect(await page.getByText('autocode/policy: success').count()).toBeGreaterThan(0);
    // Ada asked for this change: the app says someone else must approve.
    await page.getByText('someone else must approve it').waitFor();
    await look('06-pr-detail');
    await diff.scrollIntoViewIfNeeded();
    await shot(page, '06b-pr-diff', true);
  }, 60_000);

  it('shows command history and system status', async () => {
    await page.goto(`${stack.url}/#/history`);
    await page.getByRole('link', { name: /codegen · autocode-sandbox\/foundation/ }).waitFor();
    await look('07-history');
    await page.goto(`${stack.url}/#/status`);
    await page.getByRole('heading', { name: 'Kill switch' }).waitFor();
    await page.getByRole('row', { name: /pr opened 1/ }).waitFor();
    await look('08-status');
  }, 60_000);

  it('an approver registers a passkey and approves with a WebAuthn step-up and a confirmation', async () => {
    await signOut(page, stack.url);
    await signIn(page, stack.url, /Aaron Approver/);
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${stack.url}/#/settings`);
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    await page.getByText('Passkey registered on this device.').waitFor();
    await look('09-settings');
    await page.goto(`${stack.url}/#/prs`);
    await page.getByRole('link', { name: /autocode: Add a farewell message/ }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this pull request?' });
    await dialog.waitFor();
    const head = (await forgeJson(`/repos/${REPO}/pulls/1`)) as { head: { sha: string } };
    expect(await dialog.innerText()).toContain(head.head.sha);
    await look('10-approval-confirm');
    await dialog.getByRole('button', { name: 'Confirm: Approve' }).click();
    await page.getByText(/Approve submitted for [0-9a-f]{7}/).waitFor();
    await look('11-approved');
    const reviews = (await forgeJson(`/repos/${REPO}/pulls/1/reviews`)) as { state: string; body: string }[];
    expect(reviews.map((r) => r.state)).toContain('APPROVED');
    expect(reviews.find((r) => r.state === 'APPROVED')?.body).toContain('Aaron Approver');
  }, 60_000);

  it('an admin trips the kill switch and the next command is refused', async () => {
    await signOut(page, stack.url);
    await signIn(page, stack.url, /Ada Admin/);
    await page.goto(`${stack.url}/#/admin`);
    await page.getByLabel('Reason for the kill switch').fill('Incident drill from the phone');
    await page.getByLabel('Duration').selectOption({ label: '2 hours' });
    await page.getByRole('button', { name: 'Trip kill switch' }).click();
    await page.getByRole('button', { name: 'Clear kill switch' }).waitFor();
    await page.getByLabel('Setting').selectOption('daily_llm_budget_usd');
    await page.getByLabel('New value').fill('50');
    await page.getByLabel('Reason for the change').fill('Quarter budget');
    await page.getByRole('button', { name: 'Propose change' }).click();
    await page.getByText(/Daily LLM budget \(USD\) → 50/).waitFor();
    await page.getByText('0/2 approvals').waitFor();
    await look('12-admin');
    await page.goto(`${stack.url}/#/`);
    await page.getByLabel('Target repository').fill(REPO);
    await page.getByLabel('What should change?').fill('This must be refused');
    await page.getByRole('button', { name: 'Submit command' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Refused: .*kill switch is active/ })
      .waitFor();
    await look('13-command-refused');
  }, 60_000);

  it('a second admin approves the billing proposal; the proposer could not', async () => {
    await page.goto(`${stack.url}/#/admin`);
    const proposal = page.getByRole('listitem').filter({ hasText: 'Daily LLM budget (USD) → 50' });
    await proposal.waitFor();
    expect(await proposal.getByRole('button', { name: 'Approve proposal' }).count()).toBe(0);
    await signOut(page, stack.url);
    await signIn(page, stack.url, /Alan Admin/);
    await page.goto(`${stack.url}/#/admin`);
    await proposal.getByRole('button', { name: 'Approve proposal' }).click();
    await proposal.getByText('1/2 approvals').waitFor();
    expect(await proposal.getByRole('button', { name: 'Approve proposal' }).count()).toBe(0);
    await proposal.scrollIntoViewIfNeeded();
    await shot(page, '13b-billing-approved', true);
  }, 60_000);

  it('offline: shows saved data with a banner and disables every write', async () => {
    await page.goto(`${stack.url}/#/prs`);
    await page.getByRole('link', { name: /autocode: Add a farewell message/ }).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    try {
      await offlineChecks();
    } finally {
      await context.setOffline(false);
    }
  }, 60_000);

  async function offlineChecks(): Promise<void> {
    await page.reload();
    await page
      .getByRole('status')
      .filter({ hasText: 'Offline.' })
      .waitFor()
      .catch(async (e) => {
        console.log('DEBUG', await page.content());
        throw e;
      });
    await page.getByRole('link', { name: /autocode: Add a farewell message/ }).waitFor();
    await page.getByText(/Saved copy from/).waitFor();
    await look('14-offline-prs');
    await page.goto(`${stack.url}/#/`);
    expect(await page.getByRole('button', { name: 'Submit command' }).isDisabled()).toBe(true);
    await page.goto(`${stack.url}/#/admin`);
    expect(await page.getByRole('button', { name: 'Clear kill switch' }).isDisabled()).toBe(true);
    await shot(page, '15-offline-admin');
  }

  it('dark mode renders with readable contrast', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${stack.url}/#/prs`);
    await page.getByRole('link', { name: /autocode: Add a farewell message/ }).click();
    await page.getByRole('heading', { name: /Files changed/ }).waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(17, 20, 24)');
    await look('16-dark-pr-detail');
    await page.getByRole('region', { name: 'Diff of src/greeting.ts' }).scrollIntoViewIfNeeded();
    await shot(page, '16b-dark-pr-diff', true);
    await page.goto(`${stack.url}/#/status`);
    await page.getByRole('heading', { name: 'Kill switch' }).waitFor();
    await look('17-dark-status');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 60_000);

  it('a push message becomes a notification', async () => {
    await context.grantPermissions(['notifications'], { origin: stack.url });
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) =>
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: { registrationId: string }[] }) => {
          if (e.registrations[0]) resolve(e.registrations[0].registrationId);
        },
      ),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: stack.url,
      registrationId: await registration,
      data: JSON.stringify({ kind: 'pr.opened', repo: REPO, number: 1 }),
    });
    let titles: string[] = [];
    for (let i = 0; i < 40 && titles.length === 0; i++) {
      titles = await page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => `${n.title}: ${n.body}`),
      );
      if (titles.length === 0) await page.waitForTimeout(100);
    }
    expect(titles).toEqual([`PR ready: ${REPO}#1 is ready for review.`]);
  }, 60_000);

  it('ends the session after 15 idle minutes', async () => {
    await page.goto(`${stack.url}/#/history`);
    await page.evaluate(() =>
      sessionStorage.setItem('autocode.activity', String(Date.now() - 16 * 60 * 1000)),
    );
    await page.getByText('signed out after 15 minutes without activity').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => sessionStorage.getItem('autocode.session'))).toBeNull();
  }, 30_000);

  it('has no accessibility violations and no CSP violations on any screen', async () => {
    // The checker itself is live: an unlabelled field is reported.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    expect((await axe(page)).join('\n')).toMatch(/^label /m);
    expect(a11y).toEqual([]);
    expect(csp).toEqual([]);
  });
});
