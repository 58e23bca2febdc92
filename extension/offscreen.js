// offscreen.js runs the wallet core (wallet.wasm through wallet.js) in the
// offscreen document, which outlives the service worker. It answers
// {to: 'offscreen', op, args} messages from the extension's own contexts
// only (content scripts share the extension id but not its origin), and
// asks the service worker (offscreen.policy) about every call from a web
// origin.
import { loadWallet } from './wallet.js';

const EXTENSION_ORIGIN = location.origin;

// ask calls the service worker.
async function ask(op, ...args) {
  const answer = await chrome.runtime.sendMessage({ to: 'sw', op, args });
  if (!answer) throw new Error('the service worker did not answer');
  if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.result;
}

// previews holds the preview functions of the policy requests in flight.
const previews = new Map();
let nextPolicy = 1;

let lastSync = 0; // when the wallet last heard from the validators (ms)
let subscribed = false;

const ready = (async () => {
  const wallet = await loadWallet({ name: 'extension' });
  // The core reports a refusal as DENIED with the policy's message; the
  // service worker maps the message back to the page's error code.
  // A mutation's request carries preview(), the core's dry run of its
  // blocks; the service worker asks for it (op preview) only once it has
  // decided the site may ask at all.
  await wallet.setPolicy(async (req) => {
    const id = nextPolicy++;
    if (typeof req.preview === 'function') previews.set(id, req.preview);
    const { preview, ...plain } = req;
    try {
      return await ask('offscreen.policy', { ...plain, policyId: id });
    } catch (e) {
      throw e.code === undefined ? new Error(`wallet disconnected: ${e.message}`) : e;
    } finally {
      previews.delete(id);
    }
  });
  const token = await ask('offscreen.boot');
  if (token) {
    try {
      await wallet.resume(token);
    } catch (e) {
      console.warn('resume the session:', e.code, e.message);
      await ask('offscreen.sessionRefused');
    }
  }
  if ((await wallet.status()).exists) follow(wallet);
  return wallet;
})();

// follow keeps lastSync: every notification means the wallet is in step.
async function follow(wallet) {
  if (subscribed) return;
  subscribed = true;
  try {
    await wallet.subscribe('subscription { notifications { chainId kind height hash origin } }', {}, '', (r) => {
      lastSync = Date.now();
      const n = r?.data?.notifications;
      if (n) ask('offscreen.notification', n).catch(() => {});
    });
  } catch (e) {
    subscribed = false;
  }
}

// syncAll brings every tracked chain up to date (unlocked or not: a sync
// signs nothing, but the core's GraphQL treats it as a mutation, so it is
// done only when unlocked) and answers {lastSync}.
async function syncAll(wallet) {
  const st = await wallet.status();
  if (st.exists && !st.locked) {
    for (const c of st.chains) {
      const r = await wallet.graphql('mutation ($c: String!) { sync(chainId: $c) }', { c: c.id }, '');
      if (r.errors?.length) throw new Error(r.errors[0].message);
    }
    lastSync = Date.now();
  }
  return { lastSync };
}

// ops are the calls the service worker forwards.
const ops = {
  status: async (w) => {
    const st = await w.status();
    if (st.exists) follow(w);
    return { ...st, lastSync };
  },
  create: async (w, req) => { const r = await w.create(req); follow(w); return r; },
  unlock: (w, password) => w.unlock(password),
  lock: (w) => w.lock(),
  session: (w) => w.session(),
  claimChain: (w, req) => w.claimChain(req),
  setValidatorAddress: (w, publicKey, address) => w.setValidatorAddress(publicKey, address),
  graphql: (w, query, variables, origin, target) => w.graphql(query, variables, origin, target),
  signMessage: (w, req) => w.signMessage(req),
  syncAll,
  reset: (w) => w.reset(),
  preview: async (w, policyId) => {
    const preview = previews.get(policyId);
    if (!preview) throw Object.assign(new Error('no such request (it was answered or withdrawn)'), { code: 'BAD_REQUEST' });
    return preview();
  },
};

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.to !== 'offscreen') return false;
  if (sender.id !== chrome.runtime.id || typeof sender.url !== 'string' || new URL(sender.url).origin !== EXTENSION_ORIGIN) {
    return false; // not ours: never answer
  }
  if (!Object.hasOwn(ops, msg.op)) {
    sendResponse({ error: { code: 'BAD_REQUEST', message: `unknown operation ${msg.op}` } });
    return false;
  }
  ready
    .then((w) => ops[msg.op](w, ...(Array.isArray(msg.args) ? msg.args : [])))
    .then((result) => sendResponse({ result: result ?? null }),
      (e) => sendResponse({ error: { code: e?.code ?? 'INTERNAL', message: String(e?.message ?? e) } }));
  return true;
});
