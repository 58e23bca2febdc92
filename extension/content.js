// content.js relays between the page's provider (window.myriad,
// bridge/inpage.js) and the extension's service worker, as
// docs/bridge-protocol.md says. It trusts nothing the page says about
// itself: it takes only messages from its own window and origin, bounds
// their size and the requests in flight, and replies to the page's own
// origin only (never '*'). The service worker learns the origin from the
// browser, not from here.
(() => {
  if (location.origin === 'null' || window.__myriadContentScript) return;
  window.__myriadContentScript = true;

  const MAX_BYTES = 1 << 20; // a request's JSON size
  const MAX_IN_FLIGHT = 16; // requests waiting for an answer
  const inFlight = new Set();
  let port = null;

  function toPage(body) {
    window.postMessage({ target: 'myriad-inpage', ...body }, location.origin);
  }

  function fail(id, code, message) {
    toPage({ id, error: { code, message } });
  }

  function connect() {
    port = chrome.runtime.connect({ name: 'myriad-bridge' });
    port.onMessage.addListener((msg) => {
      if (!msg || typeof msg !== 'object' || !inFlight.delete(msg.id)) return;
      toPage(msg.error ? { id: msg.id, error: msg.error } : { id: msg.id, result: msg.result });
    });
    port.onDisconnect.addListener(() => {
      port = null;
      for (const id of inFlight) fail(id, 4900, 'the wallet disconnected: try again');
      inFlight.clear();
    });
  }

  // Events come from the service worker by chrome.tabs.sendMessage (they
  // outlive its ports); one meant for the origin this tab had before it
  // navigated is dropped.
  chrome.runtime.onMessage.addListener((msg, sender) => {
    if (sender.id !== chrome.runtime.id || sender.tab) return;
    if (!msg || msg.target !== 'myriad-event' || msg.origin !== location.origin || typeof msg.event !== 'string') return;
    toPage({ event: msg.event, data: msg.data });
  });

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const m = event.data;
    if (!m || typeof m !== 'object' || m.target !== 'myriad-contentscript') return;
    if (typeof m.id !== 'number' || !Number.isFinite(m.id)) return;
    if (typeof m.method !== 'string') return fail(m.id, 4200, 'method must be a string');
    let size;
    try { size = JSON.stringify({ method: m.method, params: m.params }).length; } catch { return fail(m.id, -32602, 'params must be JSON'); }
    if (size > MAX_BYTES) return fail(m.id, -32005, 'request too large');
    if (inFlight.has(m.id)) return fail(m.id, -32600, 'a request with this id is in flight');
    if (inFlight.size >= MAX_IN_FLIGHT) return fail(m.id, -32005, 'too many requests in flight');
    inFlight.add(m.id);
    try {
      if (!port) connect();
      port.postMessage({ id: m.id, method: m.method, params: m.params ?? null });
    } catch (e) {
      inFlight.delete(m.id);
      port = null;
      fail(m.id, 4900, 'the wallet is unreachable (was the extension reloaded?)');
    }
  });
})();
