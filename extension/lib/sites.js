// sites.js: the origins the user connected, in chrome.storage.local
// (origins and dates only, no secrets).
async function all() {
  const { sites } = await chrome.storage.local.get('sites');
  return sites ?? {};
}

export async function has(origin) {
  return Object.hasOwn(await all(), origin);
}

// list answers [{origin, connectedAt, follows}] sorted by origin: follows
// are the chains the site had the wallet follow (followChain, approved).
export async function list() {
  const s = await all();
  return Object.keys(s).sort().map((origin) => ({ origin, connectedAt: s[origin].connectedAt, follows: s[origin].follows ?? [] }));
}

// MAX_FOLLOWS bounds the chains kept per site (the oldest go first).
export const MAX_FOLLOWS = 256;

// follow records that the user let origin have the wallet follow chains:
// the site then hears of them too. A site that is not connected gets
// nothing recorded.
export async function follow(origin, chains) {
  const s = await all();
  if (!Object.hasOwn(s, origin)) return;
  const kept = (s[origin].follows ?? []).filter((c) => !chains.includes(c));
  s[origin].follows = [...kept, ...chains.filter((c) => typeof c === 'string')].slice(-MAX_FOLLOWS);
  await chrome.storage.local.set({ sites: s });
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
