// stub.js stands in for the extension's content script in the provider's
// tests: it answers the page's requests the way bridge-protocol.md says the
// real one does, from window.stub's script, and records what it saw.
//
//   stub.answers[method] = {result} | {error} | 'never' | (params) => {result} | {error}
//   stub.seen: the requests, in order; stub.posts: every window.postMessage
//   call of the page as [target, targetOrigin]; stub.emit(name, data) posts
//   an event; stub.answerLater(id, reply) answers a held request.
(() => {
  const posts = [];
  const realPost = window.postMessage.bind(window);
  window.postMessage = (message, targetOrigin, ...rest) => {
    posts.push([message?.target, typeof targetOrigin === 'string' ? targetOrigin : targetOrigin?.targetOrigin]);
    return realPost(message, targetOrigin, ...rest);
  };
  const stub = {
    answers: {},
    seen: [],
    posts,
    held: new Map(),
    emit(event, data) { realPost({ target: 'myriad-inpage', event, data }, location.origin); },
    answerLater(id, reply) { realPost({ target: 'myriad-inpage', id, ...reply }, location.origin); },
  };
  window.stub = stub;
  window.addEventListener('message', (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const m = event.data;
    if (m?.target !== 'myriad-contentscript' || typeof m.id !== 'number' || typeof m.method !== 'string') return;
    stub.seen.push({ id: m.id, method: m.method, params: m.params });
    let a = stub.answers[m.method];
    if (typeof a === 'function') a = a(m.params);
    if (a === 'never') { stub.held.set(m.id, m); return; }
    if (a === undefined) a = { error: { code: 4200, message: `unsupported method ${m.method}` } };
    realPost({ target: 'myriad-inpage', id: m.id, ...a }, location.origin);
  });
})();
