// chrome-storage.mjs fakes chrome.storage.local for the unit tests of the
// extension's modules in Node (make extension-js): install() sets
// globalThis.chrome before the module under test is imported; clear()
// empties the store between tests. Not part of the built extension.
const store = {};

export function install() {
  globalThis.chrome = {
    storage: {
      local: {
        async get(key) { return key in store ? { [key]: structuredClone(store[key]) } : {}; },
        async set(items) { for (const [k, v] of Object.entries(items)) store[k] = structuredClone(v); },
      },
    },
  };
}

export function clear() {
  for (const k of Object.keys(store)) delete store[k];
}
