// approval.js shows one request the service worker holds (a site asking to
// connect, a mutation it wants the wallet to sign, or a message to sign)
// and sends the user's answer. Closing the window rejects.
import { call } from './lib/rpc.js';
import { h, short } from './lib/dom.js';
import { describe } from './lib/preview.js';

const id = Number(new URLSearchParams(location.search).get('id'));
const main = document.getElementById('main');

function buttons() {
  const approve = h('button', { class: 'primary', 'data-testid': 'approve' }, 'Approve');
  const reject = h('button', { 'data-testid': 'reject' }, 'Reject');
  const answer = (ok) => async () => {
    approve.disabled = reject.disabled = true;
    await call('approval.decide', id, ok);
    window.close();
  };
  approve.addEventListener('click', answer(true));
  reject.addEventListener('click', answer(false));
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') answer(false)(); });
  return h('div', { class: 'row' }, reject, approve);
}

function connect(d) {
  return [
    h('h2', {}, 'Connect to this site?'),
    h('p', { class: 'mono', 'data-testid': 'origin' }, d.origin),
    h('p', {}, 'The site will see your chains and your owner key\'s address, and read them through the wallet\'s GraphQL. Every block it asks for needs your approval.'),
  ];
}

function mutation(d) {
  const p = describe(d.preview);
  return [
    h('h2', {}, p.blocks.length > 1 ? `Sign ${p.blocks.length} blocks?` : p.blocks.length === 0 ? 'Allow this request?' : 'Sign a block?'),
    h('p', {}, h('span', { class: 'mono', 'data-testid': 'origin' }, d.origin),
      p.empty ? ' asks the wallet to run a request that signs no block.'
        : p.blocks.length === 0 ? ' asks the wallet to:' : ' asks the wallet to sign what follows. The wallet ran it on its own copy of your chain:'),
    p.follows.length ? h('ul', { 'data-testid': 'preview-follows' }, p.follows.map((f) => h('li', {}, f))) : '',
    ...p.blocks.map(block),
    p.unknown ? h('p', { class: 'error' }, 'The wallet could not work out what this request does. Reject it unless you trust the site.') : '',
    h('details', {}, h('summary', {}, d.applicationId
      ? `The request, to application ${short(d.applicationId)} on chain ${short(d.chainId)}`
      : 'The request, to the wallet\'s GraphQL'),
    h('pre', { 'data-testid': 'query' }, d.query),
    Object.keys(d.variables ?? {}).length ? h('pre', {}, JSON.stringify(d.variables, null, 2)) : ''),
    p.blocks.length === 0 ? '' : h('p', {}, 'Approving signs exactly this with your key; if your chain changes before it is sent, nothing is signed.'),
  ];
}

// block shows one previewed block: what it does, then what it costs.
function block(b) {
  return h('section', { class: 'card', 'data-testid': 'preview' },
    h('h3', {}, b.title),
    b.operations.length ? h('ul', { 'data-testid': 'preview-operations' }, b.operations.map((o) => h('li', {}, o))) : '',
    b.bundles ? h('p', {}, b.bundles) : '',
    b.balances.length ? h('table', { 'data-testid': 'preview-balances' },
      h('tr', {}, h('th', {}, 'Balance'), h('th', {}, 'Change'), h('th', {}, 'After')),
      b.balances.map((c) => h('tr', { 'data-testid': 'preview-balance' },
        h('td', {}, c.account), h('td', { class: c.negative ? 'bad' : 'ok' }, c.change), h('td', {}, c.after)))) : '',
    b.messages.length ? [h('h3', {}, 'Messages sent'), h('ul', {}, b.messages.map((m) =>
      h('li', { 'data-testid': 'preview-message' }, `To chain ${m.to}: ${m.text}`)))] : '',
    b.applications.length ? [h('h3', {}, 'Applications run'), h('ul', {}, b.applications.map((a) =>
      h('li', { 'data-testid': 'preview-application' }, a)))] : '',
    h('p', { class: 'muted', 'data-testid': 'preview-cost' }, b.cost),
    b.warnings.map((w) => h('p', { class: 'error' }, w)));
}

// invisible matches characters that change how text reads without being
// seen: bidirectional controls, zero-width characters, the BOM.
const invisible = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

function message(d) {
  return [
    h('h2', {}, 'Sign a message?'),
    h('p', {}, h('span', { class: 'mono', 'data-testid': 'origin' }, d.origin), ' asks you to sign this text:'),
    h('pre', { 'data-testid': 'message' }, d.message),
    invisible.test(d.message) ? h('p', { class: 'error', role: 'alert' },
      'The text holds invisible formatting characters: it may read differently from what is signed.') : '',
    h('p', { class: 'muted' }, `With the key of owner ${short(d.owner)}. The signature is valid for this site only; it cannot sign a block or move tokens, but the site can show it as proof that you hold this key.`),
  ];
}

const views = { connect, mutation, message };

// Chrome stops a service worker that receives no event for 30 s, and the
// request waiting for this answer lives there: a message every 10 s keeps
// it running while the user reads.
setInterval(() => call('approval.get', id).catch(() => {}), 10_000);

try {
  const d = await call('approval.get', id);
  main.replaceChildren(...(Object.hasOwn(views, d.kind) ? views[d.kind] : mutation)(d), buttons());
  main.querySelector('[data-testid="reject"]').focus();
} catch (e) {
  const err = document.getElementById('error');
  err.textContent = e.message;
  err.hidden = false;
  main.replaceChildren();
}
