// sw.js is the extension's service worker: a thin router. It owns no
// wallet state in memory (Chrome stops it after ~30 s idle); it
//   - starts the offscreen document that runs the wallet core (wallet.wasm)
//     and forwards calls to it;
//   - keeps the session token in chrome.storage.session so a restarted core
//     resumes unlocked (docs/keys.md), and locks it on the auto-lock alarm;
//   - answers control calls from the extension's own pages only;
//   - routes dApp requests from the content scripts' ports
//     (docs/bridge-protocol.md), taking the origin from the browser, and
//     decides the core's policy: connected sites, approval windows.
import { bridgeError, codes, errorOf, WalletError } from './lib/errors.js';
import * as settings from './lib/settings.js';
import * as sites from './lib/sites.js';

const EXTENSION_ORIGIN = new URL(chrome.runtime.getURL('')).origin;
const OFFSCREEN_URL = chrome.runtime.getURL('offscreen.html');
const AUTOLOCK_ALARM = 'autolock';
// BRIDGE_IN_FLIGHT bounds the requests one origin has in flight (all its tabs).
const BRIDGE_IN_FLIGHT = 16;

// Content scripts must never read the session token.
chrome.storage.session.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});

// ---- the offscreen document and the wallet core ---------------------------

let creating = null;

// ensureOffscreen creates the offscreen document unless it is open.
async function ensureOffscreen() {
  const open = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [OFFSCREEN_URL] });
  if (open.length > 0) return;
  // WORKERS: the wallet core is a long-lived Go program that must outlive
  // this worker, and will run Wasm guests in Workers it can terminate.
  creating ??= chrome.offscreen.createDocument({
    url: OFFSCREEN_URL,
    reasons: [chrome.offscreen.Reason.WORKERS],
    justification: 'Runs the wallet core (Go compiled to Wasm) and its application guests in Workers, apart from the service worker, which Chrome stops when idle.',
  }).finally(() => { creating = null; });
  await creating;
}

// core calls the wallet core's API in the offscreen document.
// A document that is closing may still be listed by getContexts: a call
// that finds no receiver makes the document again and is retried.
async function core(op, ...args) {
  let answer;
  for (let attempt = 1; ; attempt++) {
    await ensureOffscreen();
    try {
      answer = await chrome.runtime.sendMessage({ to: 'offscreen', op, args });
      break;
    } catch (e) {
      if (attempt === 5 || !/Receiving end does not exist/.test(e.message)) {
        throw new WalletError(codes.disconnected, `the wallet core is unreachable: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  if (!answer) throw new WalletError(codes.disconnected, 'the wallet core did not answer');
  if (answer.error) throw new WalletError(answer.error.code, answer.error.message);
  return answer.result;
}

// ---- the session and auto-lock --------------------------------------------

async function keepSession() {
  const token = await core('session');
  await chrome.storage.session.set({ session: token });
}

async function lockWallet() {
  await chrome.storage.session.remove('session');
  await chrome.alarms.clear(AUTOLOCK_ALARM);
  const open = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (open.length > 0) await core('lock');
}

// touch records activity: the auto-lock alarm moves to now + the idle time.
async function touch() {
  const { session } = await chrome.storage.session.get('session');
  if (!session) return;
  const { autoLockSeconds } = await settings.get();
  await chrome.alarms.create(AUTOLOCK_ALARM, { when: Date.now() + autoLockSeconds * 1000 });
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTOLOCK_ALARM) lockWallet().catch((e) => console.warn('auto-lock:', e.message));
});

// ---- control calls from the extension's own pages ---------------------------

// control maps each control operation to its handler. Only the extension's
// own pages (and the offscreen document, for offscreen.*) reach them.
const control = {
  'status': async () => ({ ...(await core('status')), ...(await localState()) }),
  'create': async (req) => {
    const faucet = req.faucet || (await settings.get()).faucet;
    const created = await core('create', { password: req.password, mnemonic: req.mnemonic, faucet });
    await settings.set({ faucet, backedUp: !!req.mnemonic });
    await keepSession();
    await touch();
    return created;
  },
  'backedUp': async () => settings.set({ backedUp: true }),
  'unlock': async (password) => { await core('unlock', password); await keepSession(); await touch(); },
  'lock': lockWallet,
  'claimChain': async () => core('claimChain', { faucet: (await settings.get()).faucet }),
  'graphql': async (query, variables) => core('graphql', query, variables ?? {}, ''),
  'syncAll': async () => core('syncAll'),
  'settings.get': settings.get,
  'settings.set': async (patch) => { await settings.set(patch); await touch(); return settings.get(); },
  'sites.list': sites.list,
  'network.setValidatorAddress': async (publicKey, address) => core('setValidatorAddress', String(publicKey), String(address ?? '')),
  'sites.revoke': async (origin) => { await sites.remove(origin); broadcast(origin, 'accountsChanged', []); },
  'approval.get': async (id) => approvalDetails(id),
  'approval.decide': async (id, approved) => decide(id, approved),
  'offscreen.boot': async () => (await chrome.storage.session.get('session')).session ?? null,
  'offscreen.sessionRefused': async () => chrome.storage.session.remove('session'),
  // A site hears of the chains it may use (myriad_connect's) and of those
  // it had the wallet follow, not of the others the wallet follows.
  'offscreen.notification': async (n) => {
    const owned = (await account()).chains;
    for (const site of await sites.list()) {
      if (owned.includes(n?.chainId) || site.follows.includes(n?.chainId)) await broadcast(site.origin, 'notification', n);
    }
  },
  'offscreen.policy': async (req) => policy(req),
};

// passive operations do not count as activity for auto-lock (the popup
// polls them while it is open).
const passive = new Set(['status', 'graphql', 'settings.get', 'sites.list', 'approval.get', 'syncAll']);

async function localState() {
  const [s, { session }] = await Promise.all([settings.get(), chrome.storage.session.get('session')]);
  return { settings: s, sessionKept: !!session };
}

function fromExtension(sender) {
  return sender.id === chrome.runtime.id && typeof sender.url === 'string' &&
    new URL(sender.url).origin === EXTENSION_ORIGIN;
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.to !== 'sw') return false;
  const handler = Object.hasOwn(control, msg.op) ? control[msg.op] : null;
  if (!fromExtension(sender)) {
    sendResponse({ error: { code: codes.unauthorized, message: 'control calls come only from the extension\'s own pages' } });
    return false;
  }
  if (msg.op.startsWith('offscreen.') && sender.url !== OFFSCREEN_URL) {
    sendResponse({ error: { code: codes.unauthorized, message: `${msg.op} is for the offscreen document` } });
    return false;
  }
  if (!handler) {
    sendResponse({ error: { code: codes.unsupported, message: `unknown operation ${msg.op}` } });
    return false;
  }
  const args = Array.isArray(msg.args) ? msg.args : [];
  (async () => {
    if (!passive.has(msg.op) && !msg.op.startsWith('offscreen.')) await touch();
    return handler(...args);
  })().then((result) => sendResponse({ result: result ?? null }), (e) => sendResponse({ error: errorOf(e) }));
  return true;
});

// ---- approvals --------------------------------------------------------------

const approvals = new Map();
let nextApproval = 1;

// ask opens an approval window for details and resolves to the user's
// answer: false if the window is closed without one.
async function ask(details) {
  const id = nextApproval++;
  const answer = new Promise((resolve) => approvals.set(id, { details, resolve, windowId: null }));
  try {
    const win = await chrome.windows.create({ url: `approval.html?id=${id}`, type: 'popup', width: 440, height: 640, focused: true });
    const a = approvals.get(id);
    if (a) a.windowId = win.id;
  } catch (e) {
    decide(id, false);
  }
  return answer;
}

function approvalDetails(id) {
  const a = approvals.get(Number(id));
  if (!a) throw new WalletError(codes.badRequest, 'no such approval (it was answered or withdrawn)');
  return a.details;
}

function decide(id, approved) {
  const a = approvals.get(Number(id));
  if (!a) return;
  approvals.delete(Number(id));
  a.resolve(approved === true);
  if (a.windowId != null) chrome.windows.remove(a.windowId).catch(() => {});
}

chrome.windows.onRemoved.addListener((windowId) => {
  for (const [id, a] of approvals) if (a.windowId === windowId) decide(id, false);
});

// policy is the wallet core's setPolicy function (through the offscreen
// document): queries from connected sites pass, mutations need approval.
async function policy(req) {
  if (!req || typeof req.origin !== 'string' || !(await sites.has(req.origin))) return false;
  if (req.kind === 'signMessage') return askMessage(req);
  if (!req.mutation) return true;
  if ((await core('status')).locked) throw new WalletError(codes.unauthorized, 'the wallet is locked: unlock it in the extension');
  // What the mutation would do, executed by the core in its local node;
  // the core then signs exactly these blocks. A block that would fail is
  // refused without troubling the user.
  let preview;
  try {
    preview = await core('preview', req.policyId);
  } catch (e) {
    if (e.code === 'LOCKED') throw new WalletError(codes.unauthorized, 'the wallet is locked: unlock it in the extension');
    if (e.code === 'UNREACHABLE') throw new WalletError(codes.disconnected, `validators unreachable: ${e.message}`);
    throw new WalletError(codes.wouldFail, `the block would fail: ${e.message}`);
  }
  const ok = await ask({ kind: 'mutation', origin: req.origin, query: req.query, variables: req.variables ?? {},
    chainId: req.chainId || '', applicationId: req.applicationId || '', preview });
  if (!ok) throw new WalletError(codes.rejected, 'rejected by the user');
  if (preview?.follows?.length) await sites.follow(req.origin, preview.follows);
  await touch();
  return true;
}

// askMessage asks the user to sign a message for a connected site
// (myriad_signMessage): the approval shows the origin and the text.
async function askMessage(req) {
  if ((await core('status')).locked) throw new WalletError(codes.unauthorized, 'the wallet is locked: unlock it in the extension');
  const ok = await ask({ kind: 'message', origin: req.origin, message: String(req.message ?? ''), owner: req.owner || '' });
  if (!ok) throw new WalletError(codes.rejected, 'rejected by the user');
  await touch();
  return true;
}

// ---- the bridge: content scripts' ports -------------------------------------

const inFlight = new Map(); // origin → count

// Events reach pages through chrome.tabs.sendMessage, not through the
// ports, so they survive this worker being stopped (which closes every
// port). The tabs that used the bridge are kept in session storage
// (tab id → origin); the content script drops an event for another origin
// (the tab navigated).
async function bridgeTabs() {
  return (await chrome.storage.session.get('bridgeTabs')).bridgeTabs ?? {};
}

async function addBridgeTab(tabId, origin) {
  const tabs = await bridgeTabs();
  if (tabs[tabId] === origin) return;
  tabs[tabId] = origin;
  await chrome.storage.session.set({ bridgeTabs: tabs });
}

chrome.tabs.onRemoved.addListener(async (tabId) => {
  const tabs = await bridgeTabs();
  if (!Object.hasOwn(tabs, tabId)) return;
  delete tabs[tabId];
  await chrome.storage.session.set({ bridgeTabs: tabs });
});

// broadcast sends an event to the pages of origin (all connected origins
// if origin is null).
async function broadcast(origin, event, data) {
  const tabs = await bridgeTabs();
  const connected = origin === null ? new Set((await sites.list()).map((s) => s.origin)) : new Set([origin]);
  for (const [tabId, o] of Object.entries(tabs)) {
    if (!connected.has(o)) continue;
    chrome.tabs.sendMessage(Number(tabId), { target: 'myriad-event', origin: o, event, data }, { frameId: 0 }).catch(() => {});
  }
}

// bridgeOrigin returns the web origin of a content script's port, from the
// browser's sender information only, or null if it is not one we serve.
function bridgeOrigin(sender) {
  if (sender.id !== chrome.runtime.id || !sender.tab || sender.frameId !== 0) return null;
  if (typeof sender.origin !== 'string' || typeof sender.url !== 'string') return null;
  let url;
  try { url = new URL(sender.url); } catch { return null; }
  if (url.origin !== sender.origin || !['http:', 'https:'].includes(url.protocol)) return null;
  return sender.origin;
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'myriad-bridge') return;
  const origin = bridgeOrigin(port.sender);
  if (!origin) { port.disconnect(); return; }
  addBridgeTab(port.sender.tab.id, origin).catch(() => {});
  port.onMessage.addListener((msg) => onBridgeMessage(port, origin, msg));
});

function onBridgeMessage(port, origin, msg) {
  if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number') return;
  const reply = (body) => { try { port.postMessage({ id: msg.id, ...body }); } catch { /* the page went away */ } };
  if (typeof msg.method !== 'string' || !Object.hasOwn(bridge, msg.method)) {
    reply({ error: { code: codes.unsupported, message: `unsupported method ${String(msg.method).slice(0, 64)}` } });
    return;
  }
  const n = inFlight.get(origin) ?? 0;
  if (n >= BRIDGE_IN_FLIGHT) {
    reply({ error: { code: codes.limit, message: 'too many requests in flight' } });
    return;
  }
  inFlight.set(origin, n + 1);
  bridge[msg.method](origin, msg.params ?? {})
    .then((result) => reply({ result: result ?? null }), (e) => reply({ error: bridgeError(e) }))
    .finally(() => inFlight.set(origin, (inFlight.get(origin) ?? 1) - 1));
}

async function needConnected(origin) {
  if (!(await sites.has(origin))) throw new WalletError(codes.unauthorized, 'this site is not connected: call myriad_connect');
}

async function account() {
  const st = await core('status');
  const chains = st.chains.filter((c) => c.owner).map((c) => c.id);
  const def = st.chains.find((c) => c.id === st.defaultChain) ?? st.chains[0];
  return { chains, owner: def?.owner ?? null };
}

const connecting = new Map(); // origin → the pending connection approval

async function askConnect(origin) {
  const st = await core('status');
  if (!st.exists) throw new WalletError(codes.disconnected, 'no wallet yet: open the extension to create one');
  if (!(await ask({ kind: 'connect', origin }))) throw new WalletError(codes.rejected, 'rejected by the user');
  await sites.add(origin);
}

// bridge maps each dApp method to its handler (docs/bridge-protocol.md).
const bridge = {
  async myriad_connect(origin) {
    if (!(await sites.has(origin))) {
      // One approval window per origin, however often the page asks.
      if (!connecting.has(origin)) {
        connecting.set(origin, askConnect(origin).finally(() => connecting.delete(origin)));
      }
      await connecting.get(origin);
    }
    await touch();
    const a = await account();
    broadcast(origin, 'accountsChanged', a.chains);
    return a;
  },
  async myriad_disconnect(origin) {
    await sites.remove(origin);
    broadcast(origin, 'accountsChanged', []);
    return null;
  },
  async myriad_chains(origin) {
    await needConnected(origin);
    return (await account()).chains;
  },
  async myriad_graphql(origin, params) {
    await needConnected(origin);
    const { query, variables, chainId, applicationId } = params ?? {};
    if (typeof query !== 'string' || query === '') throw new WalletError(codes.invalidParams, 'params.query must be a GraphQL string');
    const target = applicationId ? { chainId: chainId ?? '', applicationId } : undefined;
    // A site's queries are not the user's activity: only an approved
    // mutation moves the auto-lock alarm (policy).
    return core('graphql', query, variables ?? {}, origin, target);
  },
  // myriad_signMessage signs {message} (text) for the site with the key of
  // the owner myriad_connect gave it, once the user approves
  // (docs/keys.md says what the signature covers).
  async myriad_signMessage(origin, params) {
    await needConnected(origin);
    const message = params?.message;
    if (typeof message !== 'string' || message === '') throw new WalletError(codes.invalidParams, 'params.message must be a non-empty string');
    if (!message.isWellFormed()) throw new WalletError(codes.invalidParams, 'params.message has unpaired surrogates: it is not text');
    const { owner } = await account();
    if (!owner) throw new WalletError(codes.unauthorized, 'the wallet has no key yet: claim a chain in the extension');
    try {
      return await core('signMessage', { message, origin, owner });
    } catch (e) {
      if (e?.code === codes.badRequest) throw new WalletError(codes.invalidParams, e.message);
      throw e;
    }
  },
};
