package bridge

// cases are the provider's tests: each fn runs on a fresh page (the
// provider, the stub content script as window.stub, helpers as window.h,
// the Wallet Standard app as window.standardApp) with arg {other: the URL
// of the same files on another origin}, and must answer want (JSON).
var cases = []struct {
	name, fn, want string
}{
	{"announce", `async () => {
		const first = [...window.announced];
		const again = [];
		window.addEventListener('myriad:announceProvider', (e) => again.push(e.detail));
		window.dispatchEvent(new Event('myriad:requestProvider'));
		const { info, provider } = again[0];
		return {
			before: first.length, after: again.length,
			sameProvider: provider === window.myriad && first[0].provider === window.myriad,
			sameUUID: info.uuid === first[0].info.uuid,
			uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(info.uuid),
			name: info.name, rdns: info.rdns,
			icon: info.icon.startsWith('data:image/svg+xml;base64,') && atob(info.icon.split(',')[1]).startsWith('<svg'),
			frozen: Object.isFrozen(info),
			isMyriad: window.myriad.isMyriad,
		};
	}`, `{"before":1,"after":1,"sameProvider":true,"sameUUID":true,"uuid":true,"name":"Myriad",
		"rdns":"com.myriadchain.wallet","icon":true,"frozen":true,"isMyriad":true}`},

	{"request and response are matched by id", `async () => {
		stub.answers.myriad_graphql = 'never';
		stub.answers.myriad_chains = { result: ['c1', 'c2'] };
		const p = [1, 2, 3].map((n) => myriad.request({ method: 'myriad_graphql', params: { query: 'query { n' + n + ' }' } }));
		const chains = await myriad.request({ method: 'myriad_chains' });
		await h.sleep(20);
		const ids = stub.seen.filter((s) => s.method === 'myriad_graphql').map((s) => s.id);
		// Answered out of order, one twice (the second answer is dropped).
		stub.answerLater(ids[2], { result: { data: 'third' } });
		stub.answerLater(ids[0], { result: { data: 'first' } });
		stub.answerLater(ids[2], { result: { data: 'third again' } });
		stub.answerLater(ids[1], { result: { data: 'second' } });
		return { chains, answers: await Promise.all(p), sent: stub.seen.map((s) => [s.method, s.params ?? null]),
			distinct: new Set(stub.seen.map((s) => s.id)).size };
	}`, `{"chains":["c1","c2"],"answers":[{"data":"first"},{"data":"second"},{"data":"third"}],
		"sent":[["myriad_graphql",{"query":"query { n1 }"}],["myriad_graphql",{"query":"query { n2 }"}],
		["myriad_graphql",{"query":"query { n3 }"}],["myriad_chains",null]],"distinct":4}`},

	{"errors carry numeric codes", `async () => {
		stub.answers.myriad_connect = { error: { code: 4001, message: 'the user rejected the request' } };
		stub.answers.myriad_chains = { error: { code: 4100, message: 'not connected' } };
		stub.answers.myriad_signMessage = { error: { code: 4900, message: 'the wallet is unreachable' } };
		stub.answers.myriad_graphql = { error: { message: 'no code' } };
		return {
			rejected: await h.outcome(myriad.request({ method: 'myriad_connect' })),
			unauthorized: await h.outcome(myriad.request({ method: 'myriad_chains' })),
			unsupported: await h.outcome(myriad.request({ method: 'eth_accounts' })),
			disconnected: await h.outcome(myriad.request({ method: 'myriad_signMessage', params: { message: 'hi' } })),
			internal: await h.outcome(myriad.request({ method: 'myriad_graphql', params: { query: '{ x }' } })),
			noMethod: await h.outcome(myriad.request({ params: {} })),
			badParams: await h.outcome(myriad.request({ method: 'myriad_chains', params: 'x' })),
			noMessage: await h.outcome(myriad.request({ method: 'myriad_signMessage', params: { message: 42 } })),
			notJSON: await h.outcome(myriad.request({ method: 'myriad_graphql', params: { n: 1n } })),
			tooBig: await h.outcome(myriad.request({ method: 'myriad_graphql', params: { query: 'x'.repeat(1 << 20) } }))
				.then((o) => [o.code, /^myriad: request of \d+ bytes, at most 1048576$/.test(o.message)]),
			sent: stub.seen.length,
		};
	}`, `{"rejected":{"code":4001,"message":"the user rejected the request","isError":true},
		"unauthorized":{"code":4100,"message":"not connected","isError":true},
		"unsupported":{"code":4200,"message":"unsupported method eth_accounts","isError":true},
		"disconnected":{"code":4900,"message":"the wallet is unreachable","isError":true},
		"internal":{"code":-32603,"message":"no code","isError":true},
		"noMethod":{"code":-32602,"message":"myriad: request needs {method: string, params?}","isError":true},
		"badParams":{"code":-32602,"message":"myriad: params must be an object or an array","isError":true},
		"noMessage":{"code":-32602,"message":"myriad: myriad_signMessage needs {message: a non-empty string}","isError":true},
		"notJSON":{"code":-32602,"message":"myriad: params are not JSON: Do not know how to serialize a BigInt","isError":true},
		"tooBig":[-32602,true],
		"sent":5}`},

	{"timeouts", `async () => {
		for (const m of ['myriad_chains', 'myriad_connect', 'myriad_graphql']) stub.answers[m] = 'never';
		const timed = async (p) => { const t0 = performance.now(); const o = await h.outcome(p); return [o.code, Math.round((performance.now() - t0) / 500)]; };
		const [query, connect, mutation, late] = await Promise.all([
			timed(myriad.request({ method: 'myriad_chains' })),
			timed(myriad.request({ method: 'myriad_connect' })),
			timed(myriad.request({ method: 'myriad_graphql', params: { query: '# a comment\n mutation { increment(value: 1) }' } })),
			timed(myriad.request({ method: 'myriad_graphql', params: { query: 'query { mutation: value }' } })),
		]);
		// An answer after the timeout is dropped; the provider still works.
		stub.answerLater(stub.seen[0].id, { result: 'too late' });
		stub.answers.myriad_chains = { result: ['c'] };
		return { query, connect, mutation, late, after: await myriad.request({ method: 'myriad_chains' }) };
	}`, `{"query":[4900,3],"connect":[4900,6],"mutation":[4900,6],"late":[4900,3],"after":["c"]}`},

	{"requests in flight are limited", `async () => {
		stub.answers.myriad_graphql = 'never';
		const p = [];
		for (let i = 0; i < 16; i++) p.push(h.outcome(myriad.request({ method: 'myriad_graphql', params: { query: '{ n }' } })));
		const refused = await h.outcome(myriad.request({ method: 'myriad_graphql', params: { query: '{ n }' } }));
		await h.sleep(20);
		stub.answerLater(stub.seen[0].id, { result: 'one' });
		await p[0];
		stub.answers.myriad_chains = { result: [] };
		const next = await h.outcome(myriad.request({ method: 'myriad_chains' }));
		return { refused: refused.code, sent: stub.seen.length, first: await p[0], next };
	}`, `{"refused":-32005,"sent":17,"first":{"ok":"one"},"next":{"ok":[]}}`},

	{"events", `async () => {
		const got = [];
		const note = (d) => got.push(['notification', d]);
		myriad.on('notification', note);
		myriad.on('accountsChanged', (a) => got.push(['accountsChanged', a]));
		myriad.on('disconnect', (e) => got.push(['disconnect', e.code, e instanceof Error]));
		myriad.on('notification', () => { throw new Error('a failing listener does not stop the others'); });
		stub.answers.myriad_connect = { result: { chains: ['c1'], owner: 'o1' } };
		const connected = await myriad.request({ method: 'myriad_connect' });
		await myriad.request({ method: 'myriad_connect' }); // the same account: no event
		stub.emit('notification', { chainId: 'c1', kind: 'NewBlock', height: 3 });
		stub.emit('accountsChanged', { chains: ['c1', 'c2'], owner: 'o1' });
		await h.sleep(20);
		myriad.removeListener('notification', note);
		stub.emit('notification', { chainId: 'c1', kind: 'NewBlock', height: 4 });
		stub.emit('disconnect', {});
		await h.sleep(20);
		return { connected, got, isConnected: myriad.isConnected() };
	}`, `{"connected":{"chains":["c1"],"owner":"o1"},"got":[
		["accountsChanged",{"chains":["c1"],"owner":"o1"}],
		["notification",{"chainId":"c1","kind":"NewBlock","height":3}],
		["accountsChanged",{"chains":["c1","c2"],"owner":"o1"}],
		["disconnect",4900,true]],"isConnected":false}`},

	{"accountsChanged [] and myriad_disconnect forget the account; 4100 does not", `async () => {
		const got = [];
		myriad.on('accountsChanged', (a) => got.push(a));
		stub.answers.myriad_connect = { result: { chains: ['c1'], owner: 'o1' } };
		stub.answers.myriad_chains = { error: { code: 4100, message: 'locked' } };
		stub.answers.myriad_disconnect = { result: null };
		stub.emit('accountsChanged', ['c1']); // before the owner is known: left to the answer
		await h.sleep(20);
		await myriad.request({ method: 'myriad_connect' });
		const locked = (await h.outcome(myriad.request({ method: 'myriad_chains' }))).code;
		const afterLocked = myriad.isConnected();
		stub.emit('accountsChanged', ['c1', 'c2']);
		stub.emit('accountsChanged', ['c1', 'c2']); // no change, no event
		stub.emit('accountsChanged', []); // revoked in the extension
		await h.sleep(20);
		const afterRevoke = myriad.isConnected();
		await myriad.request({ method: 'myriad_connect' });
		const disconnected = await myriad.request({ method: 'myriad_disconnect' });
		return { locked, afterLocked, afterRevoke, disconnected, got, isConnected: myriad.isConnected() };
	}`, `{"locked":4100,"afterLocked":true,"afterRevoke":false,"disconnected":null,
		"got":[{"chains":["c1"],"owner":"o1"},{"chains":["c1","c2"],"owner":"o1"},null,{"chains":["c1"],"owner":"o1"},null],"isConnected":false}`},

	{"wallet standard", `async () => {
		const w = standardApp.wallet();
		const changes = [];
		const off = w.features['standard:events'].on('change', (c) => changes.push(c.accounts.map((a) => a.address)));
		stub.answers.myriad_connect = { result: { chains: ['c1'], owner: 'o1' } };
		stub.answers.myriad_chains = { result: ['c1', 'c2'] };
		stub.answers.myriad_graphql = (p) => ({ result: { data: { echo: p } } });
		stub.answers.myriad_signMessage = (p) => ({ result: { signature: 'sig:' + p.message, publicKey: 'pk', owner: 'o1' } });
		stub.answers.myriad_disconnect = { result: null };
		const silentBefore = (await w.features['standard:connect'].connect({ silent: true })).accounts.length;
		const { accounts } = await w.features['standard:connect'].connect();
		const a = accounts[0];
		const silent = (await w.features['standard:connect'].connect({ silent: true })).accounts[0].chains;
		const gql = await w.features['myriad:graphql'].graphql({ query: '{ value }', chainId: 'c1', applicationId: 'a1' });
		const sig = await w.features['myriad:signMessage'].signMessage({ message: 'hello' });
		const sigBytes = await w.features['myriad:signMessage'].signMessage({ message: new TextEncoder().encode('\ufeffbytes é') });
		const notUTF8 = await h.outcome(w.features['myriad:signMessage'].signMessage({ message: new Uint8Array([0xff]) }));
		await w.features['standard:disconnect'].disconnect();
		off();
		stub.emit('accountsChanged', { chains: ['c3'], owner: 'o3' });
		await h.sleep(20);
		return {
			names: standardApp.names(), version: w.version, icon: w.icon.startsWith('data:image/svg+xml'),
			features: Object.keys(w.features).sort(), silentBefore,
			account: { address: a.address, chains: a.chains, features: a.features.length, frozen: Object.isFrozen(a) },
			silent, gql, sig, sigBytes, notUTF8, changes, accountsAfter: w.accounts.map((x) => x.address), chains: w.chains,
		};
	}`, `{"names":["Myriad"],"version":"1.0.0","icon":true,
		"features":["myriad:graphql","myriad:signMessage","standard:connect","standard:disconnect","standard:events"],
		"silentBefore":0,"account":{"address":"o1","chains":["myriad:c1"],"features":5,"frozen":true},
		"silent":["myriad:c1","myriad:c2"],
		"gql":{"data":{"echo":{"query":"{ value }","chainId":"c1","applicationId":"a1"}}},
		"sig":{"signature":"sig:hello","publicKey":"pk","owner":"o1"},
		"sigBytes":{"signature":"sig:\ufeffbytes é","publicKey":"pk","owner":"o1"},
		"notUTF8":{"code":-32602,"message":"myriad: the message bytes are not UTF-8 text","isError":true},
		"changes":[["o1"],["o1"],[]],
		"accountsAfter":["o3"],"chains":["myriad:c3"]}`},

	{"wallet standard register-wallet event protocol", `async () => {
		// An app that speaks the events itself (no @wallet-standard/app): it
		// announces app-ready and receives the wallet's register call.
		const got = [];
		window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: { register: (...ws) => got.push(...ws.map((w) => w.name)) } }));
		return { got, atLoad: standardApp.atLoad };
	}`, `{"got":["Myriad"],"atLoad":["Myriad"]}`},

	{"messages from other windows and origins are ignored", `async ({ other }) => {
		stub.answers.myriad_graphql = 'never';
		const events = [];
		myriad.on('notification', (d) => events.push(d));
		myriad.on('accountsChanged', (d) => events.push(d));
		const p = myriad.request({ method: 'myriad_graphql', params: { query: '{ value }' } });
		await h.sleep(20);
		const id = stub.seen[0].id;
		const forged = [
			{ target: 'myriad-inpage', id, result: 'forged' },
			{ target: 'myriad-inpage', id, error: { code: 4001, message: 'forged' } },
			{ target: 'myriad-inpage', event: 'notification', data: 'forged' },
			{ target: 'myriad-inpage', event: 'accountsChanged', data: { chains: ['x'], owner: 'forged' } },
		];
		await h.forge(await h.frame(other + 'hostile.html'), forged); // another origin
		await h.forge(await h.frame('hostile.html'), forged); // this origin, another window
		// Also not what the content script would send: a wrong target, or no id.
		window.postMessage({ target: 'myriad-contentscript', id, result: 'wrong target' }, location.origin);
		window.postMessage({ target: 'myriad-inpage', id: String(id), result: 'string id' }, location.origin);
		await h.sleep(50);
		stub.answerLater(id, { result: 'real' });
		return { answer: await p, events, connected: myriad.isConnected() };
	}`, `{"answer":"real","events":[],"connected":false}`},

	{"requests go to this origin only", `async () => {
		stub.answers.myriad_chains = { result: [] };
		stub.answers.myriad_connect = { error: { code: 4001, message: 'no' } };
		await myriad.request({ method: 'myriad_chains' });
		await h.outcome(myriad.request({ method: 'myriad_connect' }));
		const mine = stub.posts.filter(([target]) => target === 'myriad-contentscript');
		return { count: mine.length, origins: [...new Set(mine.map(([, o]) => o === location.origin ? 'own' : o))],
			toPage: stub.posts.filter(([target, o]) => target === 'myriad-inpage' && o !== location.origin).length };
	}`, `{"count":2,"origins":["own"],"toPage":0}`},
}
