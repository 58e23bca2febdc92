// dapp.js is what the sample dApps share: finding the wallet, connecting,
// and the app's own GraphQL through window.myriad (myriad_graphql with the
// page's chainId and applicationId). Nothing else reaches the wallet.
//
// A page's URL says which application (and chain) it uses:
//   counter.html?app=APPLICATION_ID&chain=CHAIN_ID
// Without chain, the first chain the wallet gives the site is used.

/** params are the page's query-string parameters. */
export const params = new URLSearchParams(location.search);

const $ = (id) => document.getElementById(id);

/** esc makes text safe to put in HTML. */
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** short shortens a 64-hex id for display (the title keeps it whole). */
export function short(id) {
  return id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : String(id ?? '');
}

/** say shows a message in the status line (kind: info, ok or error). */
export function say(message, kind = 'info') {
  message = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(); // errors may carry a guest's raw bytes
  const s = $('status');
  s.textContent = message.length > 400 ? `${message.slice(0, 400)}…` : message;
  s.title = message;
  s.dataset.kind = kind;
}

/** describe turns a provider error into words with its code. */
export function describe(e) {
  const why = { 4001: 'rejected in the wallet', 4100: 'this site is not connected', 4200: 'not supported by the wallet',
    4900: 'the wallet is unreachable', [-32005]: 'too many requests' }[e?.code];
  return `${e?.message ?? e}${e?.code !== undefined ? ` (code ${e.code}${why ? `: ${why}` : ''})` : ''}`;
}

// provider finds the wallet: window.myriad, or whoever answers
// myriad:requestProvider within a second.
async function provider() {
  if (window.myriad) return window.myriad;
  return new Promise((resolve) => {
    const got = (e) => resolve(e.detail.provider);
    window.addEventListener('myriad:announceProvider', got, { once: true });
    window.dispatchEvent(new Event('myriad:requestProvider'));
    setTimeout(() => resolve(window.myriad ?? null), 1000);
  });
}

/**
 * Dapp is one page's connection: it wires the Connect button and calls
 * refresh(dapp) after connecting, after each confirmed block, and on the
 * wallet's notifications for the page's chain (and those watch() names).
 */
export class Dapp {
  constructor({ refresh, watch }) {
    this.refresh = refresh;
    this.watch = watch ?? (() => []); // more chains whose notifications refresh the page
    this.app = params.get('app');
    this.chain = params.get('chain');
    this.owner = null;
    this.wallet = null;
  }

  /** start finds the wallet and wires the page; call it once. */
  async start() {
    $('app-id').textContent = this.app ? short(this.app) : 'none: add ?app=APPLICATION_ID to the URL';
    $('app-id').title = this.app ?? '';
    this.wallet = await provider();
    if (!this.wallet) {
      say('No Myriad wallet found: install the extension and reload this page.', 'error');
      return;
    }
    $('connect').disabled = false;
    for (const s of document.querySelectorAll('.needs-connection')) s.inert = true;
    $('connect').addEventListener('click', () => this.connect());
    this.wallet.on('accountsChanged', (a) => this.#account(a));
    this.wallet.on('disconnect', () => this.#account(null));
    this.wallet.on('notification', (n) => {
      if (n?.chainId === this.chain || this.watch().includes(n?.chainId)) this.#refresh();
    });
    say('Connect to your Myriad wallet to start.');
  }

  /** connect asks the wallet for access (the wallet opens an approval). */
  async connect() {
    say('Waiting for the wallet…');
    try {
      this.#account(await this.wallet.request({ method: 'myriad_connect' }));
      say('Connected.', 'ok');
    } catch (e) {
      say(`Connect failed: ${describe(e)}`, 'error');
    }
  }

  #account(a) {
    if (!a && this.owner) say('The wallet no longer gives this site access: connect again.', 'error');
    this.owner = a?.owner ?? null;
    if (a && !params.get('chain')) this.chain = a.chains?.[0] ?? null;
    document.body.classList.toggle('connected', !!a);
    for (const s of document.querySelectorAll('.needs-connection')) s.inert = !a;
    $('account').textContent = a ? `owner ${short(a.owner)} · chain ${short(this.chain)}` : 'not connected';
    $('account').title = a ? `owner ${a.owner}\nchain ${this.chain}` : '';
    $('connect').textContent = a ? 'Connected' : 'Connect wallet';
    $('connect').disabled = !!a;
    if (a) this.#refresh();
  }

  async #refresh() {
    try {
      await this.refresh(this);
    } catch (e) {
      say(`Could not read the application: ${describe(e)}`, 'error');
    }
  }

  /** query runs a GraphQL query of the app on chain (default: the page's) and returns its data. */
  async query(query, variables = {}, chain = this.chain) {
    const r = await this.wallet.request({ method: 'myriad_graphql',
      params: { query, variables, chainId: chain, applicationId: this.app } });
    if (r?.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
    return r?.data;
  }

  /**
   * mutate runs a GraphQL mutation of the app (the wallet asks the user to
   * approve the block), reports the block's hash and refreshes the page.
   */
  async mutate(what, query, variables = {}, chain = this.chain) {
    return this.#mutate(what, { query, variables, chainId: chain, applicationId: this.app },
      (r) => (typeof r?.data === 'string' ? r.data : null));
  }

  /**
   * walletMutate runs a mutation of the wallet's own GraphQL (transfers,
   * followChain, processInbox: docs/schema.graphql), approved like any
   * other, and refreshes the page; it answers the mutation's data.
   */
  async walletMutate(what, query, variables = {}) {
    return this.#mutate(what, { query, variables }, (r) => r?.data ?? null, true);
  }

  async #mutate(what, params, result, data = false) {
    say(`${what}: approve it in your wallet…`);
    try {
      const r = await this.wallet.request({ method: 'myriad_graphql', params });
      if (r?.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
      if (data) {
        say(`${what}: done.`, 'ok');
        await this.#refresh();
        return result(r);
      }
      const hash = result(r);
      say(`${what}: done${hash ? `, block ${short(hash)}` : ''}.`, 'ok');
      $('status').dataset.block = hash ?? '';
      await this.#refresh();
      return hash;
    } catch (e) {
      say(`${what} failed: ${describe(e)}`, 'error');
      return null;
    }
  }
}

/** onSubmit runs fn(form data) when the form is submitted, without reloading. */
export function onSubmit(id, fn) {
  $(id).addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = Object.fromEntries(new FormData(form));
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await fn(data, form);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
}

/** actionButton is a button (data-testid testid) that runs onClick, disabled meanwhile. */
export function actionButton(testid, text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.testid = testid;
  b.textContent = text;
  b.addEventListener('click', async () => {
    b.disabled = true;
    try { await onClick(); } finally { b.disabled = false; }
  });
  return b;
}

/**
 * followButton offers to follow a chain the wallet cannot read yet (a
 * wallet that runs the apps itself, as the extension does, reads only the
 * chains it tracks).
 */
export function followButton(d, chain, what) {
  return actionButton('follow-chain', `Follow ${what} in your wallet`, () =>
    d.walletMutate(`Follow ${what}`, 'mutation ($c: String!) { followChain(chainId: $c) { id } }', { c: chain }));
}
