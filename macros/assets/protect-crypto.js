/* The protected edition's key and decryption, shared by the unlock page and the service worker.

   The key is derived from the passphrase with PBKDF2-HMAC-SHA256 (the salt and iterations of
   hb-build.json) into a non-extractable AES-256-GCM CryptoKey, kept in IndexedDB with the id of
   the build it opens. Each blob is a 12-byte nonce and the AES-GCM ciphertext of one file, bound
   to its path and the build by the associated data. handbook/protect.py writes them. */
(function (g) {
  "use strict";
  var DB = "handbook-protected", STORE = "keys", SLOT = "current";
  var enc = new TextEncoder();

  function fromBase64(s) {
    return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); });
  }

  function aad(build, path) {
    return enc.encode("handbook-protected/1\n" + build + "\n" + path);
  }

  async function deriveKey(passphrase, edition) {
    var secret = enc.encode(passphrase.normalize("NFC").trim());
    var base = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      {name: "PBKDF2", hash: "SHA-256", salt: fromBase64(edition.kdf.salt), iterations: edition.kdf.iterations},
      base, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
  }

  /* ArrayBuffer → ArrayBuffer; rejects when the key or the blob is not the right one. */
  function decrypt(key, build, path, buffer) {
    var bytes = new Uint8Array(buffer);
    return crypto.subtle.decrypt({name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(build, path)},
                                 key, bytes.subarray(12));
  }

  function gunzip(buffer) {
    return new Response(new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip")));
  }

  async function readManifest(key, build, buffer) {
    var plain = await decrypt(key, build, "#manifest", buffer);
    return JSON.parse(await gunzip(plain).text());
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  async function transaction(mode, work) {
    var db = await open();
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode);
      var request = work(tx.objectStore(STORE));
      tx.oncomplete = function () { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    });
  }

  var keys = {
    get: function () { return transaction("readonly", function (s) { return s.get(SLOT); }); },
    put: function (record) { return transaction("readwrite", function (s) { return s.put(record, SLOT); }); },
    clear: function () { return transaction("readwrite", function (s) { return s.delete(SLOT); }); },
  };

  g.HB = {deriveKey: deriveKey, decrypt: decrypt, gunzip: gunzip, readManifest: readManifest, keys: keys};
})(self);
