// The Now screen's reads start here, while the app's script is still on its way; src/api/early.ts
// hands each answer to the app's first request for it. A file, not an inline script, so that the
// Content-Security-Policy can refuse every inline script.
(() => {
  if (location.pathname !== '/' || !window.fetch) return;
  var init = { credentials: 'same-origin', headers: { accept: 'application/json' } };
  var early = (window.__afterhoursEarly = { at: Date.now(), responses: {} });
  ['/api/setup', '/api/auth/session', '/api/status/summary', '/api/overview'].forEach((path) => {
    early.responses[path] = fetch(path, init).catch(() => null);
  });
})();
