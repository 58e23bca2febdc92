// popup.js is the wallet's UI (the action popup, also usable in a tab):
// onboarding, unlock, home, send, applications, connected sites and
// settings. Everything goes through the service worker (lib/rpc.js); the
// chain data comes from the wallet's own GraphQL (docs/schema.graphql).
import { call } from './lib/rpc.js';
import { h, short, when, formField } from './lib/dom.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const errorBox = document.getElementById('error');

let view = 'home';
let refreshTimer = null;
let notice = null; // shown once by the next home view (what an import found)

// ---- plumbing -----------------------------------------------------------------

function showError(e) {
  errorBox.textContent = e ? String(e.message ?? e) : '';
  errorBox.hidden = !e;
}

// show replaces the main area with nodes and focuses its first field.
function show(...nodes) {
  clearInterval(refreshTimer);
  refreshTimer = null;
  main.replaceChildren(...nodes);
  const first = main.querySelector('input, textarea, select, button.primary');
  (first ?? main).focus();
}

// busy disables a form's controls while f runs and shows its error.
async function busy(form, f) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  controls.forEach((c) => { c.disabled = true; });
  showError(null);
  try {
    return await f();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    controls.forEach((c) => { c.disabled = false; });
  }
}

function form(onSubmit, ...children) {
  const f = h('form', {}, ...children);
  f.addEventListener('submit', (ev) => { ev.preventDefault(); busy(f, () => onSubmit(f)); });
  return f;
}

async function gql(query, variables) {
  const r = await call('graphql', query, variables ?? {});
  if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.data;
}

for (const b of nav.querySelectorAll('button[data-view]')) {
  b.addEventListener('click', () => { view = b.dataset.view; render(); });
}
document.getElementById('lock').addEventListener('click', async () => {
  try { await call('lock'); } catch (e) { showError(e); }
  render();
});

// render draws the view the wallet's state calls for.
async function render() {
  let st;
  try {
    st = await call('status');
  } catch (e) {
    showError(e);
    return;
  }
  nav.hidden = !st.exists || st.locked;
  for (const b of nav.querySelectorAll('button[data-view]')) {
    if (b.dataset.view === view) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  if (!st.exists) return welcome(st);
  if (st.locked) return unlockView();
  return views[view](st);
}

// ---- onboarding -----------------------------------------------------------------

function welcome(st) {
  const faucet = h('input', { id: 'faucet', type: 'url', value: st.settings.faucet, required: true, 'data-testid': 'faucet' });
  const start = (kind) => async () => {
    try {
      await call('settings.set', { faucet: faucet.value });
      (kind === 'create' ? createView : importView)();
    } catch (e) { showError(e); }
  };
  show(
    h('h2', {}, 'Welcome'),
    h('p', {}, 'Myriad keeps your own microchains: it holds your keys, runs your chains\' blocks in the browser and talks to the validators itself.'),
    formField('Network (faucet URL)', faucet, 'New wallets learn the network and get their first chain from this faucet.'),
    h('div', { class: 'row' },
      h('button', { class: 'primary', 'data-testid': 'create-wallet', onclick: start('create') }, 'Create a new wallet'),
      h('button', { 'data-testid': 'import-wallet', onclick: start('import') }, 'Import a recovery phrase')),
  );
}

function passwordFields() {
  const pw = h('input', { id: 'password', type: 'password', autocomplete: 'new-password', minlength: 8, required: true, 'data-testid': 'password' });
  const pw2 = h('input', { id: 'password2', type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'password2' });
  const check = () => {
    if (pw.value !== pw2.value) throw new Error('the two passwords differ');
    return pw.value;
  };
  return { nodes: [formField('Password (at least 8 characters)', pw, 'It unlocks this browser\'s wallet; the recovery phrase restores it anywhere.'), formField('Repeat the password', pw2)], check };
}

function createView() {
  const p = passwordFields();
  show(
    h('h2', {}, 'Create a wallet'),
    form(async () => {
      const password = p.check();
      const { mnemonic } = await call('create', { password });
      mnemonicView(mnemonic.split(' '));
    }, ...p.nodes,
    h('div', { class: 'row' },
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'create-submit' }, 'Create'),
      h('button', { type: 'button', onclick: render }, 'Back'))),
  );
}

function mnemonicView(words) {
  show(
    h('h2', {}, 'Your recovery phrase'),
    h('p', {}, 'Write these 24 words down, in order, and keep them offline. They are the only way to restore your wallet; anyone who has them owns it.'),
    h('ol', { class: 'words', 'data-testid': 'mnemonic' }, ...words.map((w, i) => h('li', { 'data-testid': `word-${i + 1}` }, w))),
    h('div', { class: 'row' },
      h('button', { class: 'primary', 'data-testid': 'backed-up', onclick: () => confirmView(words) }, 'I wrote it down')),
  );
}

// confirmView asks for three words of the phrase, chosen at random.
function confirmView(words) {
  const picks = [];
  while (picks.length < 3) {
    const i = crypto.getRandomValues(new Uint32Array(1))[0] % words.length;
    if (!picks.includes(i)) picks.push(i);
  }
  picks.sort((a, b) => a - b);
  const inputs = picks.map((i) => h('input', { id: `confirm-${i + 1}`, autocomplete: 'off', spellcheck: 'false', required: true, 'data-testid': 'confirm-word', 'data-index': i + 1 }));
  show(
    h('h2', {}, 'Check your recovery phrase'),
    form(async () => {
      const wrong = picks.filter((i, k) => inputs[k].value.trim().toLowerCase() !== words[i]);
      if (wrong.length) throw new Error(`word ${wrong.map((i) => i + 1).join(', ')} does not match: look at your copy again`);
      await call('backedUp');
      view = 'home';
      render();
    }, ...picks.map((i, k) => formField(`Word #${i + 1}`, inputs[k])),
    h('div', { class: 'row' },
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'confirm-submit' }, 'Confirm'),
      h('button', { type: 'button', onclick: () => mnemonicView(words) }, 'Show the words again'))),
  );
}

// importView restores a wallet from its recovery phrase. The core then
// looks for the chains the faucet opened for the phrase's accounts and
// follows them; the home view shows them, with the core's warning if the
// search could not finish (the import stands either way).
function importView() {
  const phrase = h('textarea', { id: 'phrase', autocomplete: 'off', spellcheck: 'false', required: true, 'data-testid': 'import-mnemonic' });
  const p = passwordFields();
  const progress = h('p', { class: 'muted', 'aria-live': 'polite' }, '');
  show(
    h('h2', {}, 'Import a wallet'),
    form(async () => {
      const password = p.check();
      progress.textContent = 'Importing, and looking for the chains of this recovery phrase…';
      let created;
      try {
        created = await call('create', { password, mnemonic: phrase.value.trim().replace(/\s+/g, ' ') });
      } finally {
        progress.textContent = '';
      }
      const n = created.chains?.length ?? 0;
      notice = n ? `Found ${n} chain${n === 1 ? '' : 's'} of this recovery phrase.` : 'No chain of this recovery phrase was found: claim one from the faucet.';
      view = 'home';
      await render();
      if (created.warning) showError(created.warning);
    }, formField('Recovery phrase (12 to 24 words)', phrase), ...p.nodes, progress,
    h('div', { class: 'row' },
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'import-submit' }, 'Import'),
      h('button', { type: 'button', onclick: render }, 'Back'))),
  );
}

function unlockView() {
  const pw = h('input', { id: 'unlock-password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'unlock-password' });
  show(
    h('h2', {}, 'Unlock'),
    form(async () => {
      await call('unlock', pw.value);
      render();
    }, formField('Password', pw),
    h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit', 'data-testid': 'unlock-submit' }, 'Unlock'))),
  );
}

// ---- home -------------------------------------------------------------------------

const homeQuery = `query {
  chains {
    id owner height balance inbox
    pendingInbox { origin height timestamp tokens messages }
    recentBlocks(limit: 5) { hash height timestamp operations incomingBundles outgoingMessages }
  }
}`;

async function home(st) {
  const chainsBox = h('div', { 'aria-live': 'polite' });
  const synced = h('span', { class: 'muted', 'data-testid': 'synced' }, '');
  let lastSync = st.lastSync;
  const claim = h('button', { class: st.chains.length ? '' : 'primary', 'data-testid': 'claim' }, st.chains.length ? 'Claim another chain' : 'Claim a chain from the faucet');
  claim.addEventListener('click', () => busy(main, async () => { await call('claimChain'); await render(); }));
  const found = notice ? h('p', { class: 'card', 'data-testid': 'import-found' }, notice) : '';
  notice = null;
  show(
    h('h2', {}, 'Your chains'),
    found,
    st.settings.backedUp ? '' : h('p', { class: 'card' }, 'Your recovery phrase is not confirmed yet.'),
    chainsBox,
    h('div', { class: 'row' }, claim, synced),
  );
  const tick = () => { synced.textContent = lastSync ? `synced ${Math.max(0, Math.round((Date.now() - lastSync) / 1000))} s ago` : 'not synced yet'; };
  async function refresh() {
    const data = await gql(homeQuery);
    chainsBox.replaceChildren(...(data.chains.length ? data.chains.map(chainCard) : [h('p', { class: 'muted' }, 'No chain yet: claim one from the faucet to receive tokens.')]));
  }
  try {
    await refresh();
    call('syncAll').then((r) => { lastSync = Math.max(lastSync, r.lastSync); tick(); return refresh(); }).catch((e) => console.warn('sync:', e.message));
  } catch (e) { showError(e); }
  tick();
  let n = 0;
  refreshTimer = setInterval(async () => {
    tick();
    if (++n % 3) return;
    try {
      const s = await call('status');
      if (s.locked) { render(); return; }
      lastSync = Math.max(lastSync, s.lastSync);
      await refresh();
    } catch (e) { showError(e); }
  }, 1000);
}

function chainCard(c) {
  const receive = h('button', { 'data-testid': 'receive', 'data-chain': c.id }, `Receive ${c.inbox} incoming`);
  receive.addEventListener('click', () => busy(main, async () => {
    await gql('mutation ($c: String!) { processInbox(chainId: $c) }', { c: c.id });
    render();
  }));
  return h('section', { class: 'card', 'data-testid': 'chain', 'data-chain': c.id, 'aria-label': `Chain ${short(c.id)}` },
    h('div', { class: 'mono muted' }, c.id),
    h('div', { class: 'balance', 'data-testid': 'balance', 'data-chain': c.id }, c.balance),
    h('div', { class: 'muted' }, `height ${c.height}${c.owner ? '' : ' · followed, not owned'}`),
    c.inbox ? h('div', { class: 'row' }, receive) : '',
    c.pendingInbox.length ? h('div', {},
      h('h3', {}, 'Incoming'),
      h('table', {}, h('tr', {}, h('th', {}, 'from'), h('th', {}, 'tokens'), h('th', {}, 'when')),
        ...c.pendingInbox.map((b) => h('tr', { 'data-testid': 'incoming' }, h('td', { class: 'mono' }, short(b.origin)), h('td', {}, b.tokens), h('td', {}, when(b.timestamp)))))) : '',
    c.recentBlocks.length ? h('div', {},
      h('h3', {}, 'Recent blocks'),
      h('table', {}, h('tr', {}, h('th', {}, 'height'), h('th', {}, 'block'), h('th', {}, 'ops'), h('th', {}, 'in'), h('th', {}, 'out'), h('th', {}, 'when')),
        ...c.recentBlocks.map((b) => h('tr', {}, h('td', {}, String(b.height)), h('td', { class: 'mono' }, short(b.hash)),
          h('td', {}, String(b.operations)), h('td', {}, String(b.incomingBundles)), h('td', {}, String(b.outgoingMessages)), h('td', {}, when(b.timestamp)))))) : '',
  );
}

// ---- send -------------------------------------------------------------------------

async function send(st) {
  const owned = st.chains.filter((c) => c.owner);
  if (!owned.length) {
    show(h('h2', {}, 'Send'), h('p', {}, 'Claim a chain first: tokens are sent from a chain you own.'));
    return;
  }
  const from = h('select', { id: 'send-from', 'data-testid': 'send-from' }, ...owned.map((c) => h('option', { value: c.id }, short(c.id))));
  const to = h('input', { id: 'send-to', required: true, pattern: '[0-9a-fA-F]{64}(:[0-9a-fA-F]{64})?', spellcheck: 'false', 'data-testid': 'send-to' });
  const amount = h('input', { id: 'send-amount', required: true, inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?', 'data-testid': 'send-amount' });
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'send-result' });
  show(
    h('h2', {}, 'Send tokens'),
    form(async () => {
      result.replaceChildren();
      const d = await gql('mutation ($c: String!, $to: String!, $a: String!) { transfer(chainId: $c, recipient: $to, amount: $a) }',
        { c: from.value, to: to.value.trim(), a: amount.value.trim() });
      result.replaceChildren(h('p', { class: 'ok' }, 'Sent in block ', h('span', { class: 'mono', 'data-testid': 'send-hash' }, d.transfer)));
    }, formField('From chain', from), formField('To (CHAIN or CHAIN:OWNER)', to), formField('Amount', amount),
    h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit', 'data-testid': 'send-submit' }, 'Send'))),
    result,
  );
}

// ---- applications -----------------------------------------------------------------

async function apps() {
  show(h('h2', {}, 'Applications'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const d = await gql('query { chains { id applications { id module creatorChain } } }');
    const rows = d.chains.flatMap((c) => c.applications.map((a) => ({ chain: c.id, ...a })));
    show(h('h2', {}, 'Applications'),
      rows.length ? h('table', {}, h('tr', {}, h('th', {}, 'on chain'), h('th', {}, 'application'), h('th', {}, 'created by')),
        ...rows.map((r) => h('tr', { 'data-testid': 'application' }, h('td', { class: 'mono' }, short(r.chain)), h('td', { class: 'mono' }, r.id), h('td', { class: 'mono' }, short(r.creatorChain)))))
        : h('p', { class: 'muted' }, 'Your chains use no application yet. dApps you connect use them through the wallet.'));
  } catch (e) { showError(e); }
}

// ---- connected sites --------------------------------------------------------------

async function sitesView() {
  const list = await call('sites.list');
  show(h('h2', {}, 'Connected sites'),
    list.length ? h('table', {}, ...list.map((s) => {
      const revoke = h('button', { class: 'danger', 'data-testid': 'revoke', 'data-origin': s.origin, 'aria-label': `Disconnect ${s.origin}` }, 'Disconnect');
      revoke.addEventListener('click', async () => { await call('sites.revoke', s.origin); render(); });
      return h('tr', { 'data-testid': 'site' }, h('td', {}, s.origin), h('td', { class: 'muted' }, new Date(s.connectedAt).toLocaleString()), h('td', {}, revoke));
    })) : h('p', { class: 'muted' }, 'No site is connected. A site asks to connect through window.myriad; you approve it in a window like this one.'));
}

// ---- settings -----------------------------------------------------------------------

const autoLockChoices = [[60, '1 minute'], [300, '5 minutes'], [900, '15 minutes'], [3600, '1 hour'], [14400, '4 hours']];

async function settingsView(st) {
  const s = st.settings;
  const faucet = h('input', { id: 'settings-faucet', type: 'url', value: s.faucet, required: true, 'data-testid': 'settings-faucet' });
  const choices = autoLockChoices.some(([v]) => v === s.autoLockSeconds) ? autoLockChoices : [[s.autoLockSeconds, `${s.autoLockSeconds} seconds`], ...autoLockChoices];
  const autoLock = h('select', { id: 'settings-autolock', 'data-testid': 'settings-autolock' },
    ...choices.map(([v, label]) => h('option', { value: v, selected: v === s.autoLockSeconds }, label)));
  const saved = h('span', { class: 'ok', 'aria-live': 'polite' });
  show(
    h('h2', {}, 'Settings'),
    form(async () => {
      await call('settings.set', { faucet: faucet.value, autoLockSeconds: Number(autoLock.value) });
      saved.textContent = 'Saved';
    }, formField('Faucet URL', faucet, 'Where new chains come from.'),
    formField('Lock after being idle for', autoLock),
    h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit', 'data-testid': 'settings-save' }, 'Save'), saved)),
    h('h3', {}, 'Validators'),
    h('p', { class: 'muted' }, 'The network\'s validators come from its genesis, which the wallet took from the faucet when it was made; the wallet talks to them directly and checks their signatures. You may reach one at another address (a proxy, a tunnel): its key still proves it is that validator. Empty: the address the network gives.'),
    validatorsForm(st.validators),
  );
}

// validatorsForm edits where the wallet reaches each validator.
function validatorsForm(validators) {
  const inputs = validators.map((v, i) => h('input', {
    id: `validator-${i}`, type: 'text', value: v.custom ? v.address : '', placeholder: v.committeeAddress,
    'data-testid': 'validator-address', 'data-key': v.publicKey, spellcheck: 'false',
    'aria-label': `address of validator ${short(v.publicKey)}`,
  }));
  const saved = h('span', { class: 'ok', 'aria-live': 'polite' });
  return form(async () => {
    saved.textContent = '';
    for (const [i, v] of validators.entries()) {
      const want = inputs[i].value.trim();
      if (want !== (v.custom ? v.address : '')) await call('network.setValidatorAddress', v.publicKey, want);
    }
    saved.textContent = 'Saved';
  },
  h('table', {}, h('tr', {}, h('th', {}, 'public key'), h('th', {}, 'address')),
    ...validators.map((v, i) => h('tr', { 'data-testid': 'validator' },
      h('td', { class: 'mono' }, short(v.publicKey)), h('td', {}, inputs[i])))),
  h('div', { class: 'row' }, h('button', { type: 'submit', 'data-testid': 'validators-save' }, 'Save addresses'), saved));
}

const views = { home, send, apps, sites: sitesView, settings: settingsView };

render();
