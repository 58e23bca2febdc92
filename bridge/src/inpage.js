// inpage.js runs in the page's main world, injected by the extension
// (bridge/build.sh bundles it): it defines window.myriad, announces it with
// the myriad:announceProvider event (EIP-6963's shape) and registers it as a
// Wallet Standard wallet.
//
// A test page may set globalThis.__myriadInpageConfig = {timeoutMs,
// approvalTimeoutMs, maxInFlight, maxBytes} before this script runs; it
// changes only that page's own provider.

import { Provider } from './provider.js';
import { register } from './standard.js';
import { icon } from './icon.js';

/** rdns names the wallet in announcements. */
export const rdns = 'com.myriadchain.wallet';

function install() {
  if (window.myriad?.isMyriad) return; // injected twice (a reloaded extension): keep the first
  const provider = new Provider(window, globalThis.__myriadInpageConfig ?? {});
  Object.defineProperty(window, 'myriad', { value: provider, enumerable: true });

  const info = Object.freeze({ uuid: crypto.randomUUID(), name: 'Myriad', icon, rdns });
  const detail = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent('myriad:announceProvider', { detail }));
  window.addEventListener('myriad:requestProvider', announce);
  announce();

  register(provider);
}

install();
