// Afterhours service worker, written by hand.
// - The app shell (index.html, manifest, icons) is cached so the app opens on a weak signal.
// - index.html is network-first: a new release reaches the phone on the next load; the cached
//   copy is used only when the hub cannot be reached.
// - /assets/* carry a content hash in their names, so they are cache-first and kept.
// - /api/ is never cached or intercepted: live data must be live.
const SHELL = 'afterhours-shell-v1';
const ASSETS = 'afterhours-assets-v1';
const MAX_ASSETS = 80;
const SHELL_FILES = [
  '/',
  '/early.js',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/apple-touch-icon.png',
  '/icons/favicon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== ASSETS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;
  // The agent's downloads and docs are the hub's own files, not the app.
  if (url.pathname.startsWith('/agent/') || url.pathname.startsWith('/docs/')) return;
  // A shared report link opens its own page (shared.html), which must not be kept as the app's shell.
  if (url.pathname.startsWith('/shared/')) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirstShell(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirstAsset(request));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

async function networkFirstShell(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    // Every navigation answers with index.html (the app routes on the client): keep it as '/'.
    if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
      await cache.put('/', response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match('/');
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirstAsset(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    trim(cache).catch(() => {}); // trimming must not delay the answer
  }
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}

/** Old releases' assets pile up; keep the newest MAX_ASSETS (cache keys come back in insertion order). */
async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(key);
}

// Web push from the hub (integrations/push): show the message with an "Acknowledge" action that calls
// its signed ack link; a tap on the notification opens the alert.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Afterhours', body: event.data ? event.data.text() : '' };
  }
  const actions = data.ack ? [{ action: 'ack', title: 'Acknowledge' }] : [];
  event.waitUntil(
    self.registration.showNotification(data.title || 'Afterhours', {
      body: data.body || '',
      tag: data.tag,
      renotify: true,
      requireInteraction: data.urgency === 'high',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      actions,
      data: { open: data.open, ack: data.ack },
    }),
  );
});

/**
 * Acknowledges through a signed link as its page's button does: a form POST of its token to /l/ack (the
 * link's GET only shows what it is, so that link previews acknowledge nothing).
 */
self.acknowledge = (ack) => {
  const link = new URL(ack);
  return fetch(new URL('/l/ack', link), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: link.searchParams.get('t') || '' }),
  });
};

self.addEventListener('notificationclick', (event) => {
  const { open, ack } = event.notification.data || {};
  event.notification.close();
  if (event.action === 'ack' && ack) {
    // If acknowledging fails (expired, offline), open the link so the person sees why.
    event.waitUntil(
      self
        .acknowledge(ack)
        .then((response) => (response.ok ? undefined : self.clients.openWindow(ack)))
        .catch(() => self.clients.openWindow(ack)),
    );
    return;
  }
  event.waitUntil(self.clients.openWindow(open || '/'));
});
