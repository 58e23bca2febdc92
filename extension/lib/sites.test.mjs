// Unit tests of sites.js over a fake chrome.storage.local (make extension-js).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import * as fake from '../testing/chrome-storage.mjs';

fake.install();
const sites = await import('./sites.js');

beforeEach(fake.clear);

test('connect, list, revoke', async () => {
  assert.equal(await sites.has('https://a.example'), false);
  await sites.add('https://b.example');
  await sites.add('https://a.example');
  assert.equal(await sites.has('https://a.example'), true);
  assert.deepEqual((await sites.list()).map((s) => [s.origin, s.follows]), [['https://a.example', []], ['https://b.example', []]]);
  await sites.remove('https://a.example');
  assert.deepEqual((await sites.list()).map((s) => s.origin), ['https://b.example']);
});

test('the chains a site had the wallet follow are its own, bounded, and go with it', async () => {
  await sites.add('https://a.example');
  await sites.add('https://b.example');
  await sites.follow('https://a.example', ['c1', 'c2']);
  await sites.follow('https://a.example', ['c1', 7]); // again, and junk
  await sites.follow('https://unconnected.example', ['c3']);
  const [a, b] = await sites.list();
  assert.deepEqual(a.follows, ['c2', 'c1']);
  assert.deepEqual(b.follows, []);
  assert.equal(await sites.has('https://unconnected.example'), false);
  const many = Array.from({ length: sites.MAX_FOLLOWS + 5 }, (_, i) => `x${i}`);
  await sites.follow('https://a.example', many);
  const follows = (await sites.list())[0].follows;
  assert.equal(follows.length, sites.MAX_FOLLOWS);
  assert.equal(follows.at(-1), `x${sites.MAX_FOLLOWS + 4}`);
  // Revoked and connected again: nothing kept.
  await sites.remove('https://a.example');
  await sites.add('https://a.example');
  assert.deepEqual((await sites.list())[0].follows, []);
});
