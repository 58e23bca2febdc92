// driver.mjs drives headless Chromium for Go tests (internal/browser): it
// reads one JSON request per line on stdin and writes one JSON reply per
// line on stdout, so a Go test can load pages, evaluate functions in them,
// click and type, and reload them between steps. Pages' console goes to
// stderr, prefixed "page: ".
//
//   {"id":1,"op":"goto","url":"http://127.0.0.1:PORT/"}   → {"id":1,"ok":true}
//   {"id":2,"op":"eval","fn":"async (arg) => ...","arg":X} → {"id":2,"ok":true,"value":V}
//   {"id":3,"op":"reload"}                                  → {"id":3,"ok":true}
//   {"id":4,"op":"close"}                                   → {"id":4,"ok":true}, then exit
//
// With --extension DIR --profile DIR it launches a persistent context (the
// profile survives a restart of the driver) with the unpacked extension in
// DIR loaded, and more ops exist. Every page op takes "page", a name (""
// is the first page); "timeout" is in milliseconds.
//
//   {"op":"open","page":"p","url":U}              a new page named p, at U
//   {"op":"waitPage","page":"p","url":PREFIX}     name p the (next) page whose URL starts with PREFIX
//   {"op":"click","page":"p","selector":S}        also "fill" (with "value"), "press" (with "value": a key)
//   {"op":"wait","page":"p","selector":S,"state":"visible"}
//   {"op":"text","page":"p","selector":S}          → the element's text
//   {"op":"screenshot","page":"p","path":FILE}
//   {"op":"closePage","page":"p"}
//   {"op":"stopWorkers"}                          ServiceWorker.stopAllWorkers through the DevTools protocol
//   {"op":"profileStart","page":"p","interval":US} start the DevTools CPU profiler (sampling every US µs)
//   {"op":"profileStop","page":"p","path":FILE}    stop it and write the profile (.cpuprofile, for DevTools)
//
// A failure answers {"id":N,"ok":false,"error":"message"}. The browser is
// closed when stdin ends, whatever happens.
import { chromium } from 'playwright-core';
import readline from 'node:readline';
import { writeFile } from 'node:fs/promises';

const executablePath = process.env.MYRIAD_CHROMIUM || '/usr/bin/chromium';
const flags = new Map();
for (let i = 2; i + 1 < process.argv.length; i += 2) flags.set(process.argv[i], process.argv[i + 1]);
const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let browser = null;
let context;
if (flags.has('--extension')) {
  const ext = flags.get('--extension');
  context = await chromium.launchPersistentContext(flags.get('--profile'), {
    executablePath, headless: false, viewport: { width: 900, height: 760 },
    args: [...args, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  });
} else {
  browser = await chromium.launch({ executablePath, args });
  context = await browser.newContext();
}
const pages = new Map();
const profilers = new Map(); // page name → CDPSession with the profiler running
const watched = new WeakSet();
function watch(p) {
  if (watched.has(p)) return;
  watched.add(p);
  p.on('console', (m) => process.stderr.write(`page: ${m.text()}\n`));
  p.on('pageerror', (e) => process.stderr.write(`page error: ${e.stack || e}\n`));
}
context.on('page', watch);
const first = context.pages()[0] ?? await context.newPage();
watch(first);
pages.set('', first);
function pageOf(req) {
  const p = pages.get(req.page ?? '');
  if (!p || p.isClosed()) throw new Error(`no page ${JSON.stringify(req.page ?? '')}`);
  return p;
}

// waitPage finds an open page whose URL starts with prefix, or waits for one.
async function waitPage(prefix, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const p = context.pages().find((q) => !q.isClosed() && q.url().startsWith(prefix) && ![...pages.values()].includes(q));
    if (p) return p;
    if (Date.now() > deadline) throw new Error(`no page at ${prefix} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function reply(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

async function handle(req) {
  const timeout = req.timeout ?? 30000;
  switch (req.op) {
    case 'goto': await pageOf(req).goto(req.url, { waitUntil: 'load' }); return null;
    case 'reload': await pageOf(req).reload({ waitUntil: 'load' }); return null;
    case 'eval': {
      // The function runs in the page; its result comes back as JSON.
      const fn = new Function(`return (${req.fn});`)();
      return await pageOf(req).evaluate(fn, req.arg ?? null);
    }
    case 'open': {
      const p = await context.newPage();
      pages.set(req.page, p);
      await p.goto(req.url, { waitUntil: 'load' });
      return null;
    }
    case 'waitPage': {
      const p = await waitPage(req.url, timeout);
      await p.waitForLoadState('load');
      pages.set(req.page, p);
      return p.url();
    }
    case 'click': {
      // A click that closes its page (an approval window) succeeded.
      const p = pageOf(req);
      try { await p.click(req.selector, { timeout }); } catch (e) { if (!p.isClosed()) throw e; }
      return null;
    }
    case 'fill': await pageOf(req).fill(req.selector, req.value ?? '', { timeout }); return null;
    case 'press': await pageOf(req).press(req.selector, req.value, { timeout }); return null;
    case 'wait': await pageOf(req).waitForSelector(req.selector, { state: req.state || 'visible', timeout }); return null;
    case 'text': return await pageOf(req).textContent(req.selector, { timeout });
    case 'screenshot': await pageOf(req).screenshot({ path: req.path, fullPage: true }); return null;
    case 'closePage': {
      const p = pages.get(req.page);
      pages.delete(req.page);
      if (p && !p.isClosed()) await p.close();
      return null;
    }
    case 'stopWorkers': {
      const s = await context.newCDPSession(pageOf(req));
      try {
        await s.send('ServiceWorker.enable');
        await s.send('ServiceWorker.stopAllWorkers');
      } finally {
        await s.detach().catch(() => {});
      }
      return null;
    }
    case 'profileStart': {
      const s = await context.newCDPSession(pageOf(req));
      profilers.set(req.page ?? '', s);
      await s.send('Profiler.enable');
      await s.send('Profiler.setSamplingInterval', { interval: req.interval || 100 });
      await s.send('Profiler.start');
      return null;
    }
    case 'profileStop': {
      const s = profilers.get(req.page ?? '');
      if (!s) throw new Error('profileStop: no profiler started');
      profilers.delete(req.page ?? '');
      try {
        const { profile } = await s.send('Profiler.stop');
        await writeFile(req.path, JSON.stringify(profile));
      } finally {
        await s.detach().catch(() => {});
      }
      return null;
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
await (browser ? browser.close() : context.close());
process.exit(0);
