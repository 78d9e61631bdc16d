import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { sendHl7 } from '../helpers/fhir-server-e2e';
import { assertConsoleBuilt, launchChromium, logInThroughForm, openConsole, saveScreenshot, type ConsolePage } from '../helpers/browser';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';

/**
 * The operator console in Debian's Chromium against a real gateway (bundled reference model,
 * embedded /fhir), an ECG sent over real MLLP: log in through the form, watch the list update
 * without a reload, open the message, check the 12-lead drawing's geometry from the page.
 */

const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const CONTROL_ID = 'CONSOLE-LIVE-1';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The element's data- attributes (with its lead panel's, when asked). */
  data: Record<string, string>;
  d?: string;
}

/** Screen boxes and data- attributes of every element the locator matches, read in the page. */
function boxes(locator: Locator, withPanel = false): Promise<Box[]> {
  return locator.evaluateAll(
    (els, panel) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const g = panel ? e.closest('g.lead-panel') : null;
        return { x: r.left, y: r.top, width: r.width, height: r.height, data: { ...(g ? g.dataset : {}), ...e.dataset }, d: e.getAttribute('d') ?? undefined };
      }),
    withPanel,
  ) as Promise<Box[]>;
}

/** Bounding box of an SVG path made of M/L/H/V commands with absolute coordinates. */
function pathExtent(d: string): { minX: number; maxX: number; minY: number; maxY: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const m of d.matchAll(/([ML])\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)) {
    xs.push(Number(m[2]));
    ys.push(Number(m[3]));
  }
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

/**
 * A synthetic ORU^R01 with leads I and II only (10 s at 500 Hz, 5 µV per unit: a 0.15 mV sine with 1 mV spikes; made-up
 * patient): the gateway derives III, aVR, aVL, aVF, and a 12-lead model cannot score it.
 */
function limbLeadsOnlyOru(controlId: string): string {
  const samples: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const t = i / 500;
    const v = Math.round(30 * Math.sin(2 * Math.PI * 1.2 * t) + (Math.abs((t % 0.8) - 0.2) < 0.02 ? 200 : 0));
    samples.push(`${v}^${Math.round(v * 1.5)}`);
  }
  return [
    `MSH|^~\\&|CART|CARDIO|GW|HOSP|20240101120000||ORU^R01^ORU_R01|${controlId}|P|2.5`,
    'PID|1||TEST-0001^^^HOSP^MR||TEST^PATIENT||19600101|M',
    'OBR|1|PL1^CART|FL1^CARDIO|ECG12^Resting ECG^L|||20240101115900',
    'OBX|1|TS|ECG&TIM^Start^L|1|20240101115930.500||||||F',
    'OBX|2|CD|ECG&CHN^Channels^L|1|1&I^I^5&uV^1&0&0^500~2&II^II||||||F',
    `OBX|3|MA|ECG&WAV^Data^L|1|${samples.join('~')}||||||F`,
  ].join('\r');
}

interface Waveform {
  sampleRateHz: number;
  samplesPerLead: number;
  leads: Record<string, number[]>;
}

describe('operator console in Chromium (real gateway, MLLP, embedded FHIR)', () => {
  let gw: GatewayProcess;
  let browser: Browser;
  let ui: ConsolePage;
  let page: Page;
  let messageId: string;

  before(async () => {
    assertConsoleBuilt();
    gw = await startGateway({ env: { PIPELINE_POLL_MS: '50' } });
    browser = await launchChromium();
  });
  after(async () => {
    await ui?.context.close();
    await browser?.close();
    await gw?.stop();
  });

  test('unauthenticated: /api answers 401 problem+json and the console shows the login form', async () => {
    for (const path of ['/api/messages', '/api/models', '/api/queue', '/api/session', '/api/messages/00000000-0000-4000-8000-000000000000/waveform']) {
      const res = await fetch(`${gw.baseUrl}${path}`);
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, path);
    }
    ui = await openConsole(browser, gw.baseUrl);
    page = ui.page;
    await page.waitForSelector('#login-form');
    assert.equal(await page.locator('#messages').count(), 0, 'no data before login');
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('#login');
    await page.waitForSelector('.login-error:not(:empty)');
    assert.match(await page.textContent('.login-error') ?? '', /not accepted/);
    await saveScreenshot(page, 'login');
  });

  test('logs in with the token, and an ECG sent over MLLP reaches delivered in the list without a reload', async () => {
    assert.ok(gw.token, 'startGateway gives the admin token');
    await logInThroughForm(page, gw.token);
    assert.equal(await page.textContent('#principal'), 'admin');
    await page.waitForSelector('#messages tbody');
    // A marker on window survives only as long as the page is not reloaded.
    await page.evaluate('window.noReload = true');
    assert.equal(await sendHl7(gw, withControlId(hl7Fixture(MA), CONTROL_ID)), 'AA');
    const row = page.locator(`#messages tr[data-source-id="${CONTROL_ID}"][data-state="delivered"]`);
    await row.waitFor({ timeout: 90_000 });
    assert.equal(await page.evaluate('window.noReload'), true, 'the list updated in place');
    messageId = (await row.getAttribute('data-id'))!;
    assert.match(await row.locator('.glances').textContent() ?? '', /ecg-vit-reference: (low|intermediate|high)/);
    assert.match(await row.textContent() ?? '', /ECGCART \/ CARDIOLOGY/);
    await saveScreenshot(page, 'messages-list');
  });

  test('the message page shows the timeline, the decoded summary, the results with the not-validated banner and the FHIR links', async () => {
    await page.click(`#messages tr[data-id="${messageId}"] a`);
    await page.waitForSelector('svg#ecg');
    await page.waitForSelector('#results .model-result');
    const model = page.locator('#results .model-result[data-model="ecg-vit-reference"]');
    assert.match(await model.locator('.banner-not-validated').textContent() ?? '', /Not clinically validated/);
    assert.match(await model.textContent() ?? '', /336d09630488b6f38868d7e5baf8b6af34ec5fe215ba05120698fee831c4ee35/, 'sha256 shown');
    assert.ok((await model.locator('tr[data-stratum]').count()) > 0);
    assert.match(await model.textContent() ?? '', /low < 0\.\d+ \(sens/, 'thresholds shown');
    const events = await page.locator('#timeline tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-event')}:${r.getAttribute('data-state')}`));
    assert.deepEqual(events.slice(0, 2), ['received:received', 'decode:decoded']);
    assert.ok(events.includes('score:scored') && events.at(-1) === 'delivery-attempt:delivered', events.join(' '));
    assert.match(await page.textContent('#summary') ?? '', /500 Hz/);
    const links = await page.locator('#fhir a').evaluateAll((as) => as.map((a) => String(a.href)));
    assert.ok(links.some((l) => /\/fhir\/Observation\/[^/]+$/.test(l)), links.join(' '));
    // The embedded /fhir needs a principal: the links open in a tab of the logged-in browser (session cookie).
    const tab = await page.context().newPage();
    for (const href of links) assert.equal((await tab.goto(href))?.status(), 200, `${href} opens in the embedded /fhir with the session`);
    await tab.close();
    await page.locator('#audit').waitFor();
    assert.ok((await page.locator('#audit tr[data-action="message.open"]').count()) >= 1, 'opening the message is in its audit trail');
    // The page keeps watching through the unaudited list; two more polls read the message no more.
    for (let i = 0; i < 2; i++) await page.waitForRequest((r) => r.url().includes('/api/messages?since='), { timeout: 10_000 });
    const audit = (await (await fetch(`${gw.baseUrl}/api/audit?messageId=${messageId}`, { headers: gw.authHeaders() })).json()) as { items: Array<{ action: string }> };
    assert.equal(audit.items.filter((a) => a.action === 'message.open').length, 1, 'one audited open for one visit');
    await saveScreenshot(page, 'message-page');
    await saveScreenshot(page.locator('svg#ecg'), 'ecg-12-lead');
  });

  test('the 12-lead drawing: panel positions and sizes, 1 mm grid, 10 mm calibration pulse, peaks at 10 mm/mV', async () => {
    const res = await fetch(`${gw.baseUrl}/api/messages/${messageId}/waveform`, { headers: gw.authHeaders() });
    assert.equal(res.status, 200);
    const waveform = (await res.json()) as Waveform;
    const svg = (await boxes(page.locator('svg#ecg')))[0]!;
    const px = Number(svg.data['pxPerMm']);
    const rel = (b: Box): Box => ({ ...b, x: b.x - svg.x, y: b.y - svg.y });
    const near = (actual: number, expected: number, tol: number, what: string) => assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
    assert.ok(px >= 2, `px per mm ${px}`);
    assert.equal(svg.data['mmPerS'], '25');
    assert.equal(svg.data['mmPerMv'], '10');
    near(svg.width, Number(svg.data['widthMm']) * px, 0.5, 'svg width = paper mm × px/mm');

    // Grid: adjacent 1 mm lines are px/mm apart on screen, 5 mm lines 5 × px/mm.
    const minor = (await boxes(page.locator('svg#ecg line.grid-minor[data-axis="x"]'))).slice(0, 3).map((b) => b.x);
    const major = (await boxes(page.locator('svg#ecg line.grid-major[data-axis="x"]'))).slice(0, 2).map((b) => b.x);
    near(minor[1]! - minor[0]!, px, 0.05, 'minor grid spacing');
    near(minor[2]! - minor[1]!, px, 0.05, 'minor grid spacing');
    near(major[1]! - major[0]!, 5 * px, 0.05, 'major grid spacing');

    // Layout: I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6 in 2.5 s = 62.5 mm columns side by side,
    // rows one pitch apart, then the 10 s = 250 mm lead II rhythm strip below.
    const panels = (await boxes(page.locator('svg#ecg g.lead-panel rect.panel-frame'), true)).map(rel);
    assert.deepEqual(panels.map((p) => p.data['lead']), ['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6', 'II']);
    const grid = panels.filter((p) => p.data['kind'] === 'grid');
    const rhythm = panels.find((p) => p.data['kind'] === 'rhythm')!;
    assert.equal(grid.length, 12);
    const [x0, y0] = [grid[0]!.x, grid[0]!.y];
    const pitch = grid[4]!.y - y0;
    assert.ok(pitch > 0);
    grid.forEach((p, i) => {
      const [row, col] = [Math.floor(i / 4), i % 4];
      near(p.width, 62.5 * px, 0.5, `${p.data['lead']} width`);
      near(p.x, x0 + col * 62.5 * px, 0.5, `${p.data['lead']} x`);
      near(p.y, y0 + row * pitch, 0.5, `${p.data['lead']} y`);
      assert.equal(Number(p.data['startS']), col * 2.5, `${p.data['lead']} shows seconds ${col * 2.5}–${(col + 1) * 2.5}`);
    });
    near(rhythm.width, 250 * px, 0.5, 'rhythm strip width');
    near(rhythm.x, x0, 0.5, 'rhythm strip x');
    near(rhythm.y, y0 + 3 * pitch, 0.5, 'rhythm strip below the third row');
    assert.ok(rhythm.x + rhythm.width <= svg.width + 0.5, 'rhythm strip inside the paper');

    // One calibration pulse per row: 1 mV = 10 mm tall on screen, its top 10 mm above the row's baseline.
    const calibrations = (await boxes(page.locator('svg#ecg path.calibration'))).map(rel);
    assert.equal(calibrations.length, 4);
    for (const c of calibrations) {
      near(c.height, 10 * px, 0.5, 'calibration pulse height');
      near(c.y, (Number(c.data['baselineMm']) - 10) * px, 0.5, 'calibration pulse top');
    }

    // Each trace is its µV data at 10 mm/mV and 25 mm/s: the path's extent (its data, in mm, to
    // 0.01 mm) and its box on screen against the waveform API's values for the panel's window.
    const traces = (await boxes(page.locator('svg#ecg g.lead-panel path.trace'), true)).map(rel);
    assert.equal(traces.length, 13);
    const rate = waveform.sampleRateHz;
    for (const t of traces) {
      const lead = t.data['lead']!;
      const startS = Number(t.data['startS']);
      const baseline = Number(t.data['baselineMm']);
      const data = waveform.leads[lead]!;
      const slice = data.slice(Math.round(startS * rate), Math.min(data.length, Math.round(Number(t.data['endS']) * rate)));
      const [max, min] = [Math.max(...slice), Math.min(...slice)];
      const extent = pathExtent(t.d!);
      const what = `${lead} ${startS}–${t.data['endS']} s`;
      near(extent.minY, baseline - max / 100, 0.006, `${what} peak (${max} µV)`);
      near(extent.maxY, baseline - min / 100, 0.006, `${what} trough (${min} µV)`);
      near(extent.maxX - extent.minX, ((slice.length - 1) / rate) * 25, 0.006, `${what} width`);
      near(t.height, ((max - min) / 100) * px, 0.5, `${what} height on screen`);
      near(t.y, (baseline - max / 100) * px, 0.5, `${what} top on screen`);
    }
    assert.deepEqual(ui.errors, []);
  });

  test('an ECG with only limb leads: indeterminate with the reason in the list and the page, V1–V6 marked not recorded', async () => {
    assert.equal(await sendHl7(gw, limbLeadsOnlyOru('CONSOLE-LIMB-1')), 'AA');
    await page.goto(`${gw.baseUrl}/#/messages`);
    const row = page.locator('#messages tr[data-source-id="CONSOLE-LIMB-1"][data-state="delivered"]');
    await row.waitFor({ timeout: 90_000 });
    assert.match((await row.locator('.glances').textContent()) ?? '', /ecg-vit-reference: indeterminate \(lead-missing\)/);
    await row.locator('a').click();
    const result = page.locator('#results .model-result[data-model="ecg-vit-reference"][data-status="indeterminate"]');
    await result.waitFor();
    assert.match((await result.locator('.indeterminate-reason').textContent()) ?? '', /lead-missing.*V1, V2, V3, V4, V5, V6/);
    assert.match((await result.locator('.banner-not-validated').textContent()) ?? '', /Not clinically validated/);
    await page.waitForSelector('svg#ecg');
    const missing = await page.locator('svg#ecg g.lead-panel:has(.lead-missing)').evaluateAll((gs) => gs.map((g) => String(g.getAttribute('data-lead'))));
    assert.deepEqual(missing, ['V1', 'V4', 'V2', 'V5', 'V3', 'V6']);
    const derived = await page.locator('svg#ecg .lead-label').evaluateAll((ts) => ts.map((t) => String(t.textContent)));
    assert.ok(derived.includes('III*') && derived.includes('aVR*'), `derived leads marked: ${derived.join(' ')}`);
    await saveScreenshot(page, 'message-indeterminate');
  });

  test('the list filters by state, protocol and time', async () => {
    await page.goto(`${gw.baseUrl}/#/messages`);
    await page.waitForSelector('#messages tr[data-id]');
    const shown = () => page.locator('#messages tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => String(r.getAttribute('data-source-id'))));
    assert.deepEqual(await shown(), ['CONSOLE-LIMB-1', CONTROL_ID]);
    await page.selectOption('#filter-state', 'failed');
    await page.waitForSelector('#messages tbody td.muted');
    assert.match((await page.textContent('#messages tbody')) ?? '', /No messages match/);
    await page.selectOption('#filter-state', 'delivered');
    await page.selectOption('#filter-protocol', 'mllp');
    await page.waitForSelector('#messages tr[data-id]');
    assert.deepEqual(await shown(), ['CONSOLE-LIMB-1', CONTROL_ID]);
    await page.selectOption('#filter-protocol', 'dimse');
    await page.waitForSelector('#messages tbody td.muted');
    await page.selectOption('#filter-protocol', '');
    await page.waitForSelector('#messages tr[data-id]');
    // Local time, as the operator types it: nothing was received since then.
    await page.fill('#filter-since', '2999-01-01T00:00');
    await page.waitForSelector('#messages tbody td.muted');
    await page.fill('#filter-since', '');
    await page.selectOption('#filter-state', '');
    await page.waitForSelector('#messages tr[data-id]');
    assert.equal((await shown()).length, 2);
  });

  test('models and health pages show the reference model, its banner, listeners and queue depth', async () => {
    await page.goto(`${gw.baseUrl}/#/models`);
    const model = page.locator('#models section.model[data-model="ecg-vit-reference"]');
    await model.waitFor();
    assert.equal(await model.getAttribute('data-validated'), 'false');
    assert.match(await model.locator('.banner-not-validated').textContent() ?? '', /Not clinically validated/);
    assert.ok((await model.locator('tr[data-output]').count()) > 0);
    assert.match(await page.textContent('#refused') ?? '', /None/);
    await saveScreenshot(page, 'models');
    await page.goto(`${gw.baseUrl}/#/health`);
    await page.waitForSelector('#health tr[data-check="mllp"]');
    assert.equal(await page.getAttribute('#health tr[data-check="mllp"]', 'data-ok'), 'true');
    assert.equal(await page.getAttribute('#health tr[data-check="store"]', 'data-ok'), 'true');
    const { counts } = (await (await fetch(`${gw.baseUrl}/api/queue`, { headers: gw.authHeaders() })).json()) as { counts: Record<string, number> };
    assert.equal(counts['delivered'], 2);
    assert.equal(await page.textContent('#queue tr[data-state="delivered"] .count'), '2');
    assert.match((await page.textContent('#ehr-last-delivery')) ?? '', /Last delivery succeeded/);
    assert.match((await page.textContent('#ehr-retrying')) ?? '', /No delivery is waiting/);
    await saveScreenshot(page, 'health');
  });

  test('the audit page lists who signed in, opened the message and read /fhir, newest first, linking to the message', async () => {
    await page.goto(`${gw.baseUrl}/#/audit`);
    const rows = page.locator('#audit-trail tbody tr[data-action]');
    await rows.first().waitFor();
    const entries = await rows.evaluateAll((trs) => trs.map((tr) => ({ action: tr.getAttribute('data-action'), principal: tr.getAttribute('data-principal'), messageId: tr.getAttribute('data-message-id') })));
    const actions = entries.map((e) => e.action);
    assert.ok(actions.includes('session.login'), actions.join(' '));
    assert.ok(actions.includes('fhir.read'), 'the FHIR links opened with the session are audited');
    const open = entries.find((e) => e.action === 'message.open' && e.messageId === messageId);
    assert.equal(open?.principal, 'admin');
    // Newest first: the sign-in came before the open.
    assert.ok(actions.lastIndexOf('session.login') > actions.indexOf('message.open'));
    await saveScreenshot(page, 'audit');
    await page.click(`#audit-trail tr[data-action="message.open"][data-message-id="${messageId}"] a`);
    await page.waitForSelector('svg#ecg');
  });

  test('an unknown message id says so; a session ended elsewhere brings back the login form, and signing in again resumes', async () => {
    await page.goto(`${gw.baseUrl}/#/messages/00000000-0000-4000-8000-000000000000`);
    await page.waitForSelector('#not-found');
    // Chromium logs that 404 as a failed resource: expected here, so it is not a page error.
    assert.deepEqual(ui.errors.splice(0), [`console: Failed to load resource: the server responded with a status of 404 (Not Found) (${gw.baseUrl}/api/messages/00000000-0000-4000-8000-000000000000)`]);
    await page.goto(`${gw.baseUrl}/#/messages`);
    await page.waitForSelector('#messages tbody tr[data-id]');
    const session = (await ui.context.cookies()).find((c) => c.name === 'ecggw_session')!;
    const ended = await fetch(`${gw.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie: `ecggw_session=${session.value}`, 'x-requested-with': 'ecg-gateway' } });
    assert.equal(ended.status, 204);
    // The list's next poll gets 401 and the console asks for the token again.
    await page.waitForSelector('#login-form');
    assert.match((await page.textContent('.login-error')) ?? '', /session has ended/);
    await logInThroughForm(page, gw.token!);
    await page.waitForSelector(`#messages tr[data-id="${messageId}"]`);
  });

  test('signing out ends the session: the cookie no longer opens /api and the login form is back', async () => {
    const cookies = await ui.context.cookies();
    const session = cookies.find((c) => c.name === 'ecggw_session');
    assert.ok(session?.httpOnly, 'HttpOnly session cookie');
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    const res = await fetch(`${gw.baseUrl}/api/session`, { headers: { cookie: `ecggw_session=${session.value}` } });
    assert.equal(res.status, 401);
    assert.deepEqual(ui.errors, []);
  });
});
