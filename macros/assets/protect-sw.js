/* The protected edition's service worker (handbook/protect.py writes the constants above).

   It keeps every blob of this build in a cache (encrypted, as published), so the handbook opens
   with no network after one visit, and answers each request under protected/ with the file
   decrypted: pages, Material's scripts and search index, PDFs, contacts. Locked (no key for this
   build on this device), every page address shows the unlock page. A new build comes with a new
   sw.js: the browser installs it when online, and it asks for the passphrase again (new salt). */
/* EDITION */
importScripts("hb-crypto.js");

var CACHE = "hb-protected-" + BUILD;
var SCOPE = new URL("./", self.location.href);
var unlocked = null;  // {key, files} once the key of this build is read

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(CACHE);
    await cache.addAll(SHELL.concat(BLOBS).map(function (u) { return new Request(u, {cache: "reload"}); }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n.indexOf("hb-protected-") === 0 && n !== CACHE; })
                           .map(function (n) { return caches.delete(n); }));
    await self.clients.claim();
  })());
});

self.addEventListener("message", function (event) {
  var message = event.data || {};
  var reply = event.ports && event.ports[0];
  (async function () {
    unlocked = null;  // "unlocked": read the new key at the next request; "lock": forget it
    if (message.type === "lock") await HB.keys.clear();
    if (reply) reply.postMessage({ok: true, build: BUILD});
  })();
});

async function cached(url) {
  var cache = await caches.open(CACHE);
  var request = new Request(new URL(url, SCOPE).href);
  var response = await cache.match(request);
  if (!response) {
    response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
  }
  return response;
}

/* The unlock page, for any address under protected/ while locked: with a <base> at the scope, so
   its scripts and styles load from there, and a reload after unlocking opens that address. */
async function unlockPage() {
  var text = await (await cached("index.html")).text();
  text = text.replace("<head>", '<head><base href="' + SCOPE.href + '">');
  return new Response(text, {headers: {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}});
}

async function state() {
  if (unlocked) return unlocked;
  var record;
  try { record = await HB.keys.get(); } catch (e) { return null; }
  if (!record || record.build !== BUILD) return null;
  try {
    var manifest = await HB.readManifest(record.key, BUILD, await (await cached(MANIFEST)).arrayBuffer());
    unlocked = {key: record.key, files: manifest.files};
    return unlocked;
  } catch (e) {
    return null;
  }
}

async function answer(request, rel, url) {
  var open = await state();
  if (!open) {
    if (request.mode === "navigate") return unlockPage();
    return new Response("The handbook is locked.", {status: 401, headers: {"Content-Type": "text/plain"}});
  }
  var path = rel === "" || rel.slice(-1) === "/" ? rel + "index.html" : rel;
  if (!open.files[path] && open.files[path + "/index.html"]) {
    return Response.redirect(new URL(url.pathname + "/" + url.search, url).href, 301);
  }
  var status = 200;
  if (!open.files[path]) {
    status = 404;
    path = "404.html";
    if (!open.files[path]) return new Response("Not found", {status: 404});
  }
  var entry = open.files[path];
  var headers = {"Content-Type": entry[1], "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"};
  if (/^text\/(vcard|calendar)/.test(entry[1])) {
    headers["Content-Disposition"] = 'inline; filename="' + path.split("/").pop() + '"';
  }
  try {
    var blob = await cached("blobs/" + entry[0]);
    if (!blob.ok) throw new Error("blob " + blob.status);
    var plain = await HB.decrypt(open.key, BUILD, path, await blob.arrayBuffer());
    return new Response(entry[2] ? HB.gunzip(plain).body : plain, {status: status, headers: headers});
  } catch (e) {
    return new Response("This file could not be opened: connect to the internet and reload.",
                        {status: 503, headers: {"Content-Type": "text/plain"}});
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE.href) !== 0) return;
  var url = new URL(request.url);
  var rel;
  try { rel = decodeURIComponent(url.pathname.slice(SCOPE.pathname.length)); } catch (e) { return; }
  if (rel === "sw.js") return;
  if (rel.indexOf("blobs/") === 0 || (SHELL.indexOf(rel) >= 0 && rel !== "index.html")) {
    event.respondWith(cached(rel));
    return;
  }
  event.respondWith(answer(request, rel, url));
});
