// driver.mjs drives one headless Chromium page for Go tests
// (internal/browser): it reads one JSON request per line on stdin and writes
// one JSON reply per line on stdout, so a Go test can load a page, evaluate
// functions in it and reload it between steps. The page's console goes to
// stderr, prefixed "page: ".
//
//   {"id":1,"op":"goto","url":"http://127.0.0.1:PORT/"}   → {"id":1,"ok":true}
//   {"id":2,"op":"eval","fn":"async (arg) => ...","arg":X} → {"id":2,"ok":true,"value":V}
//   {"id":3,"op":"reload"}                                  → {"id":3,"ok":true}
//   {"id":4,"op":"close"}                                   → {"id":4,"ok":true}, then exit
//
// A failure answers {"id":N,"ok":false,"error":"message"}. The browser is
// closed when stdin ends, whatever happens.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const executablePath = process.env.MYRIAD_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
const page = await context.newPage();
page.on('console', (m) => process.stderr.write(`page: ${m.text()}\n`));
page.on('pageerror', (e) => process.stderr.write(`page error: ${e.stack || e}\n`));

function reply(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

async function handle(req) {
  switch (req.op) {
    case 'goto': await page.goto(req.url, { waitUntil: 'load' }); return null;
    case 'reload': await page.reload({ waitUntil: 'load' }); return null;
    case 'eval': {
      // The function runs in the page; its result comes back as JSON.
      const fn = new Function(`return (${req.fn});`)();
      return await page.evaluate(fn, req.arg ?? null);
    }
    case 'close': return null;
    default: throw new Error(`unknown op ${req.op}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });

for await (const line of lines) {
  if (!line.trim()) continue;
  let req;
  try { req = JSON.parse(line); } catch (e) { reply({ id: 0, ok: false, error: `bad request: ${e.message}` }); continue; }
  try {
    const value = await handle(req);
    reply({ id: req.id, ok: true, value });
  } catch (e) {
    reply({ id: req.id, ok: false, error: String(e && e.message || e) });
  }
  if (req.op === 'close') break;
}
await browser.close();
process.exit(0);
