// relay.js stands in for the extension in TestDappsOnService: it answers
// window.myriad's requests as the content script would (bridge-protocol.md),
// approves everything, and runs myriad_graphql on a CLI wallet's node
// service (`myriad service --allow-origin`). window.relayConfig =
// {service, owner, chains} comes first; set window.relay.reject = true to
// have mutations rejected (4001) as a user would.
(() => {
  const cfg = window.relayConfig;
  const relay = { reject: false, seen: [] };
  window.relay = relay;
  let connected = false;
  const fail = (code, message) => Object.assign(new Error(message), { code });
  const reply = (id, body) => window.postMessage({ target: 'myriad-inpage', id, ...body }, location.origin);

  async function graphql(p) {
    const url = p.applicationId ? `${cfg.service}/chains/${p.chainId}/applications/${p.applicationId}` : `${cfg.service}/`;
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: p.query, variables: p.variables ?? {} }) });
    if (!r.ok) throw fail(-32603, `node service: ${r.status} ${await r.text()}`);
    return r.json();
  }

  async function handle(method, p) {
    if (method !== 'myriad_connect' && !connected) throw fail(4100, 'connect first');
    switch (method) {
      case 'myriad_connect': connected = true; return { chains: cfg.chains, owner: cfg.owner };
      case 'myriad_chains': return cfg.chains;
      case 'myriad_disconnect': connected = false; return null;
      case 'myriad_graphql':
        if (relay.reject && /\bmutation\b/.test(p.query)) throw fail(4001, 'the user rejected the request');
        return graphql(p);
      default: throw fail(4200, `unsupported method ${method}`);
    }
  }

  window.addEventListener('message', async (e) => {
    if (e.source !== window || e.origin !== location.origin) return;
    const m = e.data;
    if (m?.target !== 'myriad-contentscript' || typeof m.id !== 'number' || typeof m.method !== 'string') return;
    relay.seen.push({ method: m.method, params: m.params });
    try {
      reply(m.id, { result: await handle(m.method, m.params ?? {}) });
    } catch (err) {
      reply(m.id, { error: { code: err.code ?? -32603, message: err.message } });
    }
  });
})();
