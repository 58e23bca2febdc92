// sites.js: the origins the user connected, in chrome.storage.local
// (origins and dates only, no secrets).
async function all() {
  const { sites } = await chrome.storage.local.get('sites');
  return sites ?? {};
}

export async function has(origin) {
  return Object.hasOwn(await all(), origin);
}

// list answers [{origin, connectedAt}] sorted by origin.
export async function list() {
  const s = await all();
  return Object.keys(s).sort().map((origin) => ({ origin, connectedAt: s[origin].connectedAt }));
}

export async function add(origin) {
  const s = await all();
  s[origin] = { connectedAt: Date.now() };
  await chrome.storage.local.set({ sites: s });
}

export async function remove(origin) {
  const s = await all();
  delete s[origin];
  await chrome.storage.local.set({ sites: s });
}
