// approval.js shows one request the service worker holds (a site asking to
// connect, or a mutation it wants the wallet to sign) and sends the user's
// answer. Closing the window rejects.
import { call } from './lib/rpc.js';
import { h, short } from './lib/dom.js';

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
  return [
    h('h2', {}, 'Sign a block?'),
    h('p', {}, h('span', { class: 'mono', 'data-testid': 'origin' }, d.origin), ' asks the wallet to run:'),
    h('pre', { 'data-testid': 'query' }, d.query),
    Object.keys(d.variables ?? {}).length ? h('pre', {}, JSON.stringify(d.variables, null, 2)) : '',
    d.applicationId ? h('p', { class: 'muted' }, `Application ${short(d.applicationId)} on chain ${short(d.chainId)}.`)
      : h('p', { class: 'muted' }, 'On the wallet\'s own GraphQL (transfers, chains).'),
    h('p', {}, 'Approving signs a block on your chain with your key.'),
  ];
}

// Chrome stops a service worker that receives no event for 30 s, and the
// request waiting for this answer lives there: a message every 10 s keeps
// it running while the user reads.
setInterval(() => call('approval.get', id).catch(() => {}), 10_000);

try {
  const d = await call('approval.get', id);
  main.replaceChildren(...(d.kind === 'connect' ? connect(d) : mutation(d)), buttons());
  main.querySelector('[data-testid="reject"]').focus();
} catch (e) {
  const err = document.getElementById('error');
  err.textContent = e.message;
  err.hidden = false;
  main.replaceChildren();
}
