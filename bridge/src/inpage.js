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

// uuid4 is a random UUID (version 4). crypto.randomUUID exists only in
// secure contexts, and the provider also runs on plain http:// pages.
function uuid4() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function install() {
  if (window.myriad?.isMyriad) return; // injected twice (a reloaded extension): keep the first
  const provider = new Provider(window, globalThis.__myriadInpageConfig ?? {});
  Object.defineProperty(window, 'myriad', { value: provider, enumerable: true });

  const info = Object.freeze({ uuid: uuid4(), name: 'Myriad', icon, rdns });
  const detail = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent('myriad:announceProvider', { detail }));
  window.addEventListener('myriad:requestProvider', announce);
  announce();

  register(provider);
}

install();
