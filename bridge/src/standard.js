// The Wallet Standard wallet over the provider: standard:connect,
// standard:disconnect, standard:events, and Myriad's myriad:graphql and
// myriad:signMessage. Registered with @wallet-standard/wallet's
// registerWallet (the wallet-standard:register-wallet / app-ready events).

import { ReadonlyWalletAccount, registerWallet } from '@wallet-standard/wallet';
import { codes, ProviderRpcError } from './errors.js';
import { icon } from './icon.js';

/** chainPrefix makes a Wallet Standard chain identifier of a Myriad chain id: myriad:CHAIN_HEX. */
export const chainPrefix = 'myriad:';

const version = '1.0.0';

/**
 * MyriadWallet is the Wallet Standard view of window.myriad.
 * @implements {import('@wallet-standard/base').Wallet}
 */
export class MyriadWallet {
  #provider;
  #listeners = new Set();
  #accounts = [];

  constructor(provider) {
    this.#provider = provider;
    this.#update(provider.account);
    provider.on('accountsChanged', (a) => this.#update(a, true));
    provider.on('disconnect', () => this.#update(null, true));
  }

  get version() { return version; }
  get name() { return 'Myriad'; }
  get icon() { return icon; }
  get chains() { return [...new Set(this.#accounts.flatMap((a) => a.chains))]; }
  get accounts() { return this.#accounts.slice(); }

  get features() {
    return {
      'standard:connect': { version, connect: (input) => this.#connect(input) },
      'standard:disconnect': { version, disconnect: () => this.#disconnect() },
      'standard:events': { version, on: (event, fn) => this.#on(event, fn) },
      'myriad:graphql': { version, graphql: (input) => this.#provider.request({ method: 'myriad_graphql', params: input }) },
      'myriad:signMessage': { version, signMessage: (input) => this.#signMessage(input) },
    };
  }

  // connect asks the wallet for the page's account; {silent: true} only
  // reports an existing connection, without an approval.
  async #connect(input) {
    if (input?.silent) {
      if (!this.#provider.isConnected()) return { accounts: [] };
      try {
        const chains = await this.#provider.request({ method: 'myriad_chains' });
        this.#update({ chains, owner: this.#provider.account.owner }, true);
      } catch {
        this.#update(null, true);
      }
      return { accounts: this.accounts };
    }
    await this.#provider.request({ method: 'myriad_connect' });
    return { accounts: this.accounts };
  }

  // signMessage asks the wallet to sign {message} — text, or its UTF-8
  // bytes — for this page's origin; it answers {signature, publicKey,
  // owner, origin, message} (docs/keys.md).
  async #signMessage(input) {
    let message = input?.message;
    if (message instanceof Uint8Array) {
      try {
        message = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(message);
      } catch {
        throw new ProviderRpcError(codes.invalidParams, 'myriad: the message bytes are not UTF-8 text');
      }
    }
    return this.#provider.request({ method: 'myriad_signMessage', params: { message } });
  }

  async #disconnect() {
    await this.#provider.request({ method: 'myriad_disconnect' });
    this.#update(null, true);
  }

  #on(event, fn) {
    if (event !== 'change') return () => {};
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  // update rebuilds the accounts from {chains, owner} and tells the change
  // listeners when they changed.
  #update(account, notify = false) {
    const before = JSON.stringify(this.#accounts.map((a) => [a.address, a.chains]));
    this.#accounts = account ? [new ReadonlyWalletAccount({
      address: account.owner,
      publicKey: new Uint8Array(0), // the owner is a hash of the key; myriad:signMessage answers the key
      chains: account.chains.map((c) => chainPrefix + c),
      features: Object.keys(this.features),
      label: `Myriad ${account.owner.slice(0, 8)}`,
    })] : [];
    const after = JSON.stringify(this.#accounts.map((a) => [a.address, a.chains]));
    if (!notify || before === after) return;
    for (const fn of [...this.#listeners]) {
      try {
        fn({ accounts: this.accounts, chains: this.chains });
      } catch (e) {
        console.error('myriad: a standard:events listener failed', e);
      }
    }
  }
}

/** register registers the wallet with every Wallet Standard app on the page, now or later. */
export function register(provider) {
  const wallet = new MyriadWallet(provider);
  registerWallet(wallet);
  return wallet;
}
