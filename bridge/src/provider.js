// The provider: window.myriad.request({method, params}) in EIP-1193's
// shape, carried to the extension's content script with window.postMessage
// (docs/bridge-protocol.md).

import { codes, ProviderRpcError, fromWire } from './errors.js';
import { Emitter } from './emitter.js';

/** toContentScript marks the page's requests; toPage the content script's answers and events. */
export const toContentScript = 'myriad-contentscript';
export const toPage = 'myriad-inpage';

/** defaults are the provider's limits; a test page may lower them (see config in inpage.js). */
export const defaults = Object.freeze({
  timeoutMs: 60_000, // a query, the chain list, a disconnect
  approvalTimeoutMs: 10 * 60_000, // connect, sign, mutations: the user reads and decides
  maxInFlight: 16, // the content script refuses more (docs/bridge-protocol.md)
  maxBytes: 1 << 20, // the content script refuses larger requests
});

// approvalMethods open an approval window in the wallet.
const approvalMethods = new Set(['myriad_connect', 'myriad_signMessage']);

/**
 * isMutation reports whether a GraphQL document holds a mutation: the word
 * "mutation" outside every selection set. Only the timeout depends on it (the
 * wallet decides what needs approval).
 */
export function isMutation(query) {
  if (typeof query !== 'string') return false;
  const code = query.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n\r]*/g, ' ');
  let depth = 0;
  for (const [token] of code.matchAll(/[{}]|\$?[_A-Za-z][_0-9A-Za-z]*/g)) {
    if (token === '{') depth++;
    else if (token === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && token === 'mutation') return true;
  }
  return false;
}

/** Provider is window.myriad. */
export class Provider extends Emitter {
  #config;
  #window;
  #nextId = firstId();
  #pending = new Map(); // id → {resolve, reject, timer, method}
  #account = null; // {chains, owner} while connected

  constructor(win, config = {}) {
    super();
    this.#window = win;
    this.#config = { ...defaults, ...config };
    this.isMyriad = true;
    win.addEventListener('message', (event) => this.#onMessage(event));
  }

  /** account is the last {chains, owner} the wallet gave this page, or null. */
  get account() {
    return this.#account && { chains: [...this.#account.chains], owner: this.#account.owner };
  }

  /** isConnected reports whether the page holds a connection to the wallet. */
  isConnected() {
    return this.#account !== null;
  }

  /** request sends {method, params} to the wallet; it resolves with the result or rejects with a ProviderRpcError. */
  request(args) {
    return new Promise((resolve, reject) => {
      const { method, params } = args ?? {};
      if (typeof method !== 'string' || method === '') {
        throw new ProviderRpcError(codes.invalidParams, 'myriad: request needs {method: string, params?}');
      }
      if (params !== undefined && (params === null || typeof params !== 'object')) {
        throw new ProviderRpcError(codes.invalidParams, 'myriad: params must be an object or an array');
      }
      if (method === 'myriad_signMessage' && (typeof params?.message !== 'string' || params.message === '')) {
        throw new ProviderRpcError(codes.invalidParams, 'myriad: myriad_signMessage needs {message: a non-empty string}');
      }
      if (this.#pending.size >= this.#config.maxInFlight) {
        throw new ProviderRpcError(codes.limit, `myriad: too many requests in flight (at most ${this.#config.maxInFlight})`);
      }
      const id = this.#nextId++;
      const message = { target: toContentScript, id, method, ...(params !== undefined && { params }) };
      this.#send(message);
      const ms = this.#timeoutOf(method, params);
      const timer = setTimeout(() => this.#settle(id, { error: {
        code: codes.disconnected, message: `myriad: the wallet did not answer ${method} in ${ms / 1000} s` } }), ms);
      this.#pending.set(id, { resolve, reject, timer, method });
    });
  }

  // send posts a request to the content script of this page: to this
  // window's own origin, never '*'.
  #send(message) {
    let size;
    try {
      size = new TextEncoder().encode(JSON.stringify(message)).length;
    } catch (e) {
      throw new ProviderRpcError(codes.invalidParams, `myriad: params are not JSON: ${e.message}`);
    }
    if (size > this.#config.maxBytes) {
      throw new ProviderRpcError(codes.invalidParams, `myriad: request of ${size} bytes, at most ${this.#config.maxBytes}`);
    }
    this.#window.postMessage(message, this.#window.location.origin);
  }

  #timeoutOf(method, params) {
    if (approvalMethods.has(method) || (method === 'myriad_graphql' && isMutation(params?.query))) {
      return this.#config.approvalTimeoutMs;
    }
    return this.#config.timeoutMs;
  }

  // onMessage takes only what the content script of this window posted:
  // from this window, from this origin, addressed to the page.
  #onMessage(event) {
    if (event.source !== this.#window || event.origin !== this.#window.location.origin) return;
    const data = event.data;
    if (data === null || typeof data !== 'object' || data.target !== toPage) return;
    if (typeof data.event === 'string') {
      this.#onEvent(data.event, data.data);
    } else if (typeof data.id === 'number') {
      this.#settle(data.id, data);
    }
  }

  #settle(id, reply) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    if ('error' in reply && reply.error != null) {
      // Not even 4100 forgets the account: the wallet also answers it for a
      // mutation while locked; a revocation comes as accountsChanged [].
      p.reject(fromWire(reply.error));
      return;
    }
    const result = reply.result === undefined ? null : reply.result;
    if (p.method === 'myriad_connect') this.#setAccount(result);
    if (p.method === 'myriad_disconnect') this.#setAccount(null);
    p.resolve(result);
  }

  #onEvent(name, data) {
    switch (name) {
      case 'accountsChanged':
        this.#accountsChanged(data);
        return;
      case 'disconnect':
        this.#account = null;
        this.emit('disconnect', fromWire({ code: codes.disconnected, message: 'myriad: disconnected', ...data }));
        return;
      default:
        this.emit(name, data);
    }
  }

  // accountsChanged takes the wallet's event: the chain ids the site may
  // use ([]: none) or a whole {chains, owner} (or null). Chain ids before
  // the site knows its owner are left to myriad_connect's answer.
  #accountsChanged(data) {
    if (Array.isArray(data)) {
      if (data.length === 0) this.#setAccount(null);
      else if (this.#account) this.#setAccount({ chains: data, owner: this.#account.owner });
      return;
    }
    this.#setAccount(data);
  }

  // setAccount records the page's account ({chains, owner} or null) and
  // tells the listeners of accountsChanged when it changed.
  #setAccount(account) {
    const next = validAccount(account);
    const changed = JSON.stringify(next) !== JSON.stringify(this.#account);
    this.#account = next;
    if (changed) this.emit('accountsChanged', this.account);
  }
}

// firstId picks where this page's request ids start: a random safe
// integer at or above 2^32, so that they do not meet the ids of another script of the
// page speaking the protocol by hand (the content script answers a
// repeated id in flight with -32600).
function firstId() {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return 2 ** 32 + (hi % 2 ** 20) * 2 ** 32 + lo; // below 2^53 - 2^32: room to count up
}

// validAccount returns {chains, owner} from what the wallet sent, or null.
function validAccount(a) {
  if (a === null || typeof a !== 'object' || typeof a.owner !== 'string' || !Array.isArray(a.chains)) return null;
  return { chains: a.chains.filter((c) => typeof c === 'string'), owner: a.owner };
}
