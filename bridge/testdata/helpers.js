// helpers.js: small tools for the test cases (inpage_test.go's cases).
window.h = {
  // outcome settles p into {ok: result} or {code, message, isError}.
  async outcome(p) {
    try {
      return { ok: await p };
    } catch (e) {
      return { code: e.code, message: e.message, isError: e instanceof Error };
    }
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  // frame loads src in an iframe and resolves with its window.
  frame(src) {
    return new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.onload = () => resolve(f.contentWindow);
      document.body.append(f);
    });
  },
  // forge has the frame win post messages to this window; it resolves
  // once they have all been delivered.
  forge(win, messages) {
    return new Promise((resolve) => {
      const done = (e) => {
        if (e.source === win && e.data?.forged === messages.length) {
          window.removeEventListener('message', done);
          resolve();
        }
      };
      window.addEventListener('message', done);
      win.postMessage({ forge: messages }, '*');
    });
  },
};
