import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { assertConsoleBuilt, launchChromium, logInThroughForm, openConsole, saveScreenshot, type ConsolePage } from '../helpers/browser';
import { FAST_RETRY_ENV, sendHl7 } from '../helpers/fhir-server-e2e';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';

/**
 * Dead letters and failed decodes in the console, against a real gateway delivering to a separate
 * FHIR server process: the EHR refuses the first transaction (fault injection), the message is
 * dead-lettered; an operator replays it from the console and it is delivered exactly once.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const BAD = fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7');
const CONTROL_ID = 'CONSOLE-DEAD-1';
const ECG_KEY = `hl7:ECGCART/CARDIOLOGY/${CONTROL_ID}`;

describe('dead-letter replay from the console (real gateway, FHIR server process, Chromium)', () => {
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  let browser: Browser;
  let ui: ConsolePage;
  let page: Page;

  before(async () => {
    assertConsoleBuilt();
    fhir = await startFhirServer();
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl } });
    browser = await launchChromium();
    ui = await openConsole(browser, gw.baseUrl);
    page = ui.page;
    await logInThroughForm(page, gw.token!);
  });
  after(async () => {
    await ui?.context.close();
    await browser?.close();
    await gw?.stop();
    await fhir?.stop();
  });

  test('a failed decode is listed with the decoder code, field and rule', async () => {
    assert.equal(await sendHl7(gw, hl7Fixture(BAD)), 'AE');
    await page.goto(`${gw.baseUrl}/#/dead`);
    const row = page.locator('#failed-decodes tr[data-state="failed"]');
    await row.waitFor();
    const reason = (await row.locator('.reason').textContent()) ?? '';
    assert.match(reason, /DECODE_REQUIRED_FIELD_MISSING at PID-3: /);
  });

  test('the EHR refuses the bundle: dead letter with the reason; Replay in the console delivers it once', async () => {
    await fhir.fail(422, 1);
    assert.equal(await sendHl7(gw, withControlId(hl7Fixture(MA), CONTROL_ID)), 'AA');
    const dead = page.locator(`#dead-letters tr[data-source-id="${CONTROL_ID}"]`);
    await dead.waitFor({ timeout: 90_000 });
    assert.match((await dead.locator('.reason').textContent()) ?? '', /FHIR_REJECTED.*422/);
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, ECG_KEY), 0, 'nothing written while refused');
    await saveScreenshot(page, 'dead-letters');

    const id = (await dead.getAttribute('data-id'))!;
    await dead.locator('button.replay').click();
    await dead.waitFor({ state: 'detached', timeout: 30_000 });

    await page.goto(`${gw.baseUrl}/#/messages/${id}`);
    await page.locator('#message .state[data-state="delivered"]').waitFor({ timeout: 90_000 });
    const events = await page.locator('#timeline tbody tr').evaluateAll((rows) => rows.map((r) => `${String(r.getAttribute('data-event'))}:${String(r.getAttribute('data-state'))}`));
    // One refused attempt, the replay from the console, then the whole pipeline again and one delivery.
    assert.deepEqual(events, ['received:received', 'decode:decoded', 'score:scored', 'delivery-attempt:dead', 'replay:received', 'decode:decoded', 'score:scored', 'delivery-attempt:delivered']);
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, ECG_KEY), 1, 'delivered exactly once');
    // The delivery records where it went; the links point into FHIR_BASE_URL and resolve there.
    const detail = (await (await fetch(`${gw.baseUrl}/api/messages/${id}`, { headers: gw.authHeaders() })).json()) as { results: { delivery: { target: string } } };
    assert.equal(detail.results.delivery.target, fhir.baseUrl);
    const links = await page.locator('#fhir a').evaluateAll((as) => as.map((a) => String(a.href)));
    assert.ok(links.length > 0 && links.every((l) => l.startsWith(`${fhir.baseUrl}/`)), links.join(' '));
    for (const href of links) assert.equal((await fetch(href)).status, 200, href);
    // The replay is audited before it is carried out ("requested"), then with its outcome.
    const replays = page.locator('#audit tr[data-action="message.replay"]');
    await replays.first().waitFor();
    const outcomes = (await replays.allTextContents()).map((t) => /"outcome":"(\w+)"/.exec(t)?.[1]);
    assert.deepEqual(outcomes, ['replayed', 'requested'], 'newest first');
    assert.equal(await page.locator('#replay').count(), 0, 'no Replay button on a delivered message');
    await saveScreenshot(page, 'replayed-message');
    assert.deepEqual(ui.errors, []);
  });

  test('Replay on the message page itself: the open page follows the message to delivered', async () => {
    await fhir.fail(422, 1);
    assert.equal(await sendHl7(gw, withControlId(hl7Fixture(MA), 'CONSOLE-DEAD-2')), 'AA');
    await page.goto(`${gw.baseUrl}/#/dead`);
    const dead = page.locator('#dead-letters tr[data-source-id="CONSOLE-DEAD-2"]');
    await dead.waitFor({ timeout: 90_000 });
    await dead.locator('a').click();
    await page.locator('#message .state[data-state="dead"]').waitFor();
    assert.match((await page.textContent('.last-error')) ?? '', /FHIR_REJECTED/);
    await page.click('#replay');
    // No navigation: the page sees the change through its list poll and reads the message again.
    await page.locator('#message .state[data-state="delivered"]').waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('#replay').count(), 0);
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, 'hl7:ECGCART/CARDIOLOGY/CONSOLE-DEAD-2'), 1, 'delivered exactly once');
    assert.deepEqual(ui.errors, []);
  });
});
