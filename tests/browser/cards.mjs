// Renders Adaptive Cards the way a Webex client does: the official `adaptivecards` renderer
// (with markdown-it for TextBlock markdown) in headless Chromium.
//
// usage: node cards.mjs <cards dir> <output dir> [--validate-only]
//
// For every <name>.json in <cards dir>: parse and validate it as an Adaptive Card 1.3, render
// it, and (unless --validate-only) save <output dir>/<name>.png. When <name>.fill.json exists,
// fill the rendered form with it ({input id: value}; a list checks those choices), press the
// button it names ("press"), and save what the renderer's Action.Submit produced (inputs
// merged with the action's data) as <output dir>/<name>.submitted.json.
// With "submitTo": {url, personId, messageId} in the fill file, what was submitted is also
// delivered there as the Webex client would (the emulator's card submission endpoint), and the
// HTTP status goes in the results as submitStatus.
// A summary of every card goes to <output dir>/results.json.
import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [cardsDir, outDir, mode] = process.argv.slice(2);
if (!cardsDir || !outDir) {
  console.error('usage: node cards.mjs <cards dir> <output dir> [--validate-only]');
  process.exit(64);
}
const validateOnly = mode === '--validate-only';
mkdirSync(outDir, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), 'cards-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 520, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

// Webex-like host page: light theme, the library's default stylesheet, fixed width.
const page = await browser.newPage();
await page.setContent(`<!doctype html><html><head><meta charset="utf-8">
  <style>body{font-family:"DejaVu Sans",sans-serif;background:#f7f7f7;margin:0;padding:12px}
  #card{width:460px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:4px}</style>
  </head><body><div id="card"></div></body></html>`);
await page.addStyleTag({ path: join(here, 'node_modules/adaptivecards/dist/adaptivecards.css') });
await page.addScriptTag({ path: join(here, 'node_modules/markdown-it/dist/browser/markdown-it.umd.min.js') });
await page.addScriptTag({ path: join(here, 'node_modules/adaptivecards/dist/adaptivecards.min.js') });

const results = [];
for (const file of readdirSync(cardsDir).filter((f) => f.endsWith('.json') && !f.endsWith('.fill.json')).sort()) {
  const name = file.replace(/\.json$/, '');
  const json = JSON.parse(readFileSync(join(cardsDir, file), 'utf8'));
  const result = await page.evaluate((cardJson) => {
    const AC = window.AdaptiveCards;
    const md = window.markdownit({ html: false, linkify: true });
    AC.AdaptiveCard.onProcessMarkdown = (text, r) => { r.outputHtml = md.render(text); r.didProcess = true; };
    const context = new AC.SerializationContext(AC.Versions.v1_3);
    const card = new AC.AdaptiveCard();
    card.hostConfig = new AC.HostConfig({ fontFamily: '"DejaVu Sans", sans-serif', supportsInteractivity: true });
    card.parse(cardJson, context);
    const parseEvents = [];
    for (let i = 0; i < context.eventCount; i++) {
      const e = context.getEventAt(i);
      parseEvents.push({ phase: e.phase, event: e.event, message: e.message });
    }
    const validation = card.validateProperties();
    const failures = validation.validationEvents.map((e) => ({ element: e.source?.getJsonTypeName?.(), phase: e.phase, event: e.event, message: e.message }));
    const holder = document.getElementById('card');
    holder.innerHTML = '';
    window.__submitted = null;
    card.onExecuteAction = (action) => { window.__submitted = { title: action.title, data: action.data }; };
    const rendered = card.render();
    holder.appendChild(rendered);
    for (const input of card.getAllInputs()) {
      const control = input.renderedInputControlElement;
      if (control) control.setAttribute('data-input-id', input.id);
    }
    const links = [...holder.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.innerText }));
    const emphasis = holder.querySelectorAll('strong, em, code, h1, h2, li').length;
    return {
      parseEvents, failures, links, emphasis,
      text: holder.innerText,
      actions: card.getActionCount(),
      buttons: [...holder.querySelectorAll('button')].map((b) => b.innerText.trim()),
      inputs: card.getAllInputs().map((i) => i.id),
    };
  }, json);
  result.name = name;
  if (!validateOnly) {
    await page.locator('#card').screenshot({ path: join(outDir, `${name}.png`) });
    const fillPath = join(cardsDir, `${name}.fill.json`);
    if (existsSync(fillPath)) {
      const fill = JSON.parse(readFileSync(fillPath, 'utf8'));
      await fillForm(fill.values);
      await page.locator('#card').screenshot({ path: join(outDir, `${name}.filled.png`) });
      await page.locator('button', { hasText: fill.press }).first().click();
      const submitted = await page.evaluate(() => window.__submitted);
      result.submittedWith = submitted?.title ?? null;
      writeFileSync(join(outDir, `${name}.submitted.json`), JSON.stringify(submitted?.data ?? null, null, 2));
      if (fill.submitTo && submitted) {
        result.submitStatus = await deliver(fill.submitTo, submitted.data);
      }
    }
  }
  results.push(result);
}
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
await browser.close();
rmSync(profile, { recursive: true, force: true });

// Fills inputs as a person would: typing, picking from lists, ticking boxes.
async function fillForm(values) {
  for (const [id, value] of Object.entries(values)) {
    const control = page.locator(`[data-input-id="${id}"]`);
    const tag = await control.evaluate((el) => el.tagName.toLowerCase());
    if (tag === 'select') {
      await control.selectOption(value);
    } else if (Array.isArray(value)) {
      for (const box of await control.locator('input[type=checkbox]').all()) {
        const wanted = value.includes(await box.getAttribute('value'))
          || value.includes(await box.evaluate((el) => el.parentElement?.innerText?.trim()));
        if (wanted) await box.check(); else await box.uncheck();
      }
    } else if (tag === 'input' || tag === 'textarea') {
      await control.fill(value);
    } else {
      // An expanded single choice: a group of radio buttons.
      await control.locator(`input[value="${value}"]`).check();
    }
  }
}

// Sends a card submission the way a Webex client does when a button is pressed: the person,
// the card's message and the inputs merged with the button's data.
async function deliver({ url, personId, messageId }, inputs) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personId, messageId, inputs }),
  });
  if (!response.ok) console.error(`submission to ${url} answered ${response.status}: ${await response.text()}`);
  return response.status;
}
