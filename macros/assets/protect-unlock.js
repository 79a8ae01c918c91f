/* The unlock page of the protected edition: the passphrase → the key (Web Crypto), checked on the
   encrypted manifest; kept on this device for this build; the service worker then serves the
   handbook. A wrong passphrase opens nothing and says so. */
(async function () {
  "use strict";
  var form = document.getElementById("hb-unlock");
  var input = document.getElementById("hb-pass");
  var button = form.querySelector("button");
  var message = document.getElementById("hb-msg");

  function say(text, kind) {
    message.textContent = text;
    message.className = "hb-msg" + (kind ? " hb-msg-" + kind : "");
  }

  function stop(text) {
    say(text, "error");
    button.disabled = true;
    input.disabled = true;
  }

  // The form never goes to the server: its field and button are off in the page until this
  // handler is attached (before anything is awaited), and it waits for the edition itself.
  var ready = null;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (ready) ready.then(function (edition) { if (edition) unlock(edition); });
  });
  input.disabled = false;
  button.disabled = false;
  input.focus();

  if (!window.isSecureContext || !("serviceWorker" in navigator) || !window.crypto || !crypto.subtle ||
      !window.indexedDB || !window.DecompressionStream) {
    stop("This browser cannot open the protected handbook: it needs the https:// address, a current browser, " +
         "and site storage switched on (some private windows turn it off).");
    return;
  }
  navigator.serviceWorker.register("sw.js", {scope: "./"}).catch(function () {
    stop("This browser would not keep the handbook for offline use (site storage is off). Try another browser.");
  });

  ready = fetch("hb-build.json").then(function (r) { return r.json(); }).catch(function () {
    stop("The handbook could not be loaded. Connect to the internet once to open it.");
    return null;
  });
  var edition = await ready;
  if (!edition) return;
  try {
    var kept = await HB.keys.get();
    if (kept && kept.build !== edition.build) say("A new edition was published. Type the passphrase again to open it.", "note");
  } catch (e) { /* no storage: said when unlocking */ }

  function controlled() {
    if (navigator.serviceWorker.controller) return Promise.resolve();
    return new Promise(function (resolve) {
      navigator.serviceWorker.addEventListener("controllerchange", resolve, {once: true});
    });
  }

  function tell(worker, note) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { resolve(); };
      worker.postMessage(note, [channel.port2]);
      setTimeout(resolve, 2000);
    });
  }

  async function unlock(edition) {
    if (button.disabled) return;
    if (!input.value.trim()) {
      say("Type the passphrase first.", "error");
      input.focus();
      return;
    }
    button.disabled = true;
    input.removeAttribute("aria-invalid");
    say("Opening…", "busy");
    var manifest;
    try {
      manifest = await (await fetch(edition.manifest)).arrayBuffer();
    } catch (e) {
      button.disabled = false;
      say("The handbook could not be loaded. Connect to the internet and try again.", "error");
      return;
    }
    var key;
    var started = performance.now();
    try {
      key = await HB.deriveKey(input.value, edition);
      window.hbUnlockMs = performance.now() - started;
      await HB.readManifest(key, edition.build, manifest);
    } catch (e) {
      button.disabled = false;
      input.setAttribute("aria-invalid", "true");
      say("That passphrase is not right. Check it and try again.", "error");
      input.select();
      return;
    }
    try {
      await HB.keys.put({build: edition.build, key: key});
    } catch (e) {
      button.disabled = false;
      say("This browser would not keep the key (site storage is off). Try another browser.", "error");
      return;
    }
    say("Saving the handbook on this device for use without a network…", "busy");
    await navigator.serviceWorker.ready;
    await controlled();
    await tell(navigator.serviceWorker.controller, {type: "unlocked"});
    location.reload();
  }
})();
