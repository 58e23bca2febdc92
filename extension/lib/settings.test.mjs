// Unit tests of settings.js over a fake chrome.storage.local (make extension-js).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import * as fake from '../testing/chrome-storage.mjs';

fake.install();
const settings = await import('./settings.js');

beforeEach(fake.clear);

test('defaults: the local network\'s faucet, 15 minutes, not backed up', async () => {
  assert.deepEqual(await settings.get(), { faucet: 'http://127.0.0.1:8080', autoLockSeconds: 900, backedUp: false });
});

test('a patch is checked and merged', async () => {
  await settings.set({ faucet: 'https://faucet.example/', autoLockSeconds: '60.9' });
  assert.deepEqual(await settings.get(), { faucet: 'https://faucet.example', autoLockSeconds: 60, backedUp: false });
  await settings.set({ backedUp: 'yes' }); // only true is true
  assert.equal((await settings.get()).backedUp, false);
  await settings.set({ backedUp: true, unknown: 1 });
  assert.deepEqual(await settings.get(), { faucet: 'https://faucet.example', autoLockSeconds: 60, backedUp: true });
});

test('bad values are refused and change nothing', async () => {
  await assert.rejects(settings.set({ faucet: 'javascript:alert(1)' }), /http\(s\)/);
  await assert.rejects(settings.set({ faucet: 'not a url' }));
  await assert.rejects(settings.set({ autoLockSeconds: 1 }), /auto-lock/);
  await assert.rejects(settings.set({ autoLockSeconds: 8 * 24 * 3600 }), /auto-lock/);
  await assert.rejects(settings.set({ autoLockSeconds: 'soon' }), /auto-lock/);
  assert.deepEqual(await settings.get(), { faucet: 'http://127.0.0.1:8080', autoLockSeconds: 900, backedUp: false });
});
