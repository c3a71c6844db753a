// The Now screen's reads start here, while the app's script is still on its way; src/api/early.ts
// hands each answer to the app's first request for it. A file, not an inline script, so that the
// Content-Security-Policy can refuse every inline script.
// A report opened from a shared link starts its one read here too (a long report is worth the head start).
(() => {
  if (!window.fetch) return;
  var shared = /^\/shared\/(incident|checklist)-report\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
  var paths = shared
    ? [`/api/public/${shared[1]}-reports/${shared[2]}`]
    : location.pathname === '/'
      ? ['/api/setup', '/api/auth/session', '/api/status/summary', '/api/overview']
      : [];
  if (!paths.length) return;
  var init = { credentials: 'same-origin', headers: { accept: 'application/json' } };
  var early = (window.__afterhoursEarly = { at: Date.now(), responses: {} });
  paths.forEach((path) => {
    early.responses[path] = fetch(path, init).catch(() => null);
  });
})();
