// settings.js: the user's settings in chrome.storage.local (no secrets).
const defaults = {
  // faucet is the faucet URL new wallets and new chains come from: `make
  // run`'s local network by default.
  faucet: 'http://127.0.0.1:8080',
  // autoLockSeconds is the idle time after which the wallet locks.
  autoLockSeconds: 15 * 60,
  // backedUp says whether the user confirmed the recovery phrase.
  backedUp: false,
};

// MIN_AUTOLOCK is the shortest idle time accepted (tests use a few seconds).
const MIN_AUTOLOCK = 2;

export async function get() {
  const { settings } = await chrome.storage.local.get('settings');
  return { ...defaults, ...(settings ?? {}) };
}

// set merges a patch of known, checked fields into the settings.
export async function set(patch) {
  const next = await get();
  if (patch.faucet !== undefined) {
    const u = new URL(String(patch.faucet));
    if (!['http:', 'https:'].includes(u.protocol)) throw new Error('the faucet URL must be http(s)');
    next.faucet = u.href.replace(/\/$/, '');
  }
  if (patch.autoLockSeconds !== undefined) {
    const s = Math.floor(Number(patch.autoLockSeconds));
    if (!Number.isFinite(s) || s < MIN_AUTOLOCK || s > 7 * 24 * 3600) throw new Error('auto-lock: give a number of seconds from 2 to a week');
    next.autoLockSeconds = s;
  }
  if (patch.backedUp !== undefined) next.backedUp = patch.backedUp === true;
  await chrome.storage.local.set({ settings: next });
  return next;
}
