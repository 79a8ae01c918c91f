/* On every page of the protected edition: the edition's date (a warning once it is past its review
   date), a Lock button that forgets the key on this device, and a check for a newer build. */
(function () {
  "use strict";
  var root = new URL(".", document.currentScript.src).href;
  var bar = document.createElement("div");
  bar.className = "hb-protect-bar";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "Edition");
  var text = document.createElement("span");
  text.className = "hb-protect-text";
  text.textContent = "Internal edition";
  var lock = document.createElement("button");
  lock.type = "button";
  lock.className = "hb-protect-lock";
  lock.textContent = "Lock";
  lock.title = "Forget the passphrase on this device";
  bar.append(text, lock);
  var main = document.querySelector(".md-main") || document.body.firstChild;
  main.parentNode.insertBefore(bar, main);

  fetch(root + "hb-build.json").then(function (r) { return r.json(); }).then(function (edition) {
    var review = new Date(edition.review_by + "T23:59:59");  // the end of that day, on this device's clock
    text.textContent = "Internal edition, as of " + edition.as_of_text + ".";
    if (Date.now() > review.getTime()) {
      bar.classList.add("hb-stale");
      text.textContent += " Past its review date (" + edition.review_by_text + "): numbers may have changed. " +
                          "Open it with a network to get the latest edition.";
    }
  }).catch(function () { /* the bar keeps its first words */ });

  lock.addEventListener("click", function () {
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    var done = function () { location.href = root; };
    if (!worker) return done();
    var channel = new MessageChannel();
    channel.port1.onmessage = done;
    worker.postMessage({type: "lock"}, [channel.port2]);
    setTimeout(done, 2000);
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.getRegistration(root).then(function (registration) {
      if (registration && navigator.onLine) return registration.update();
    }).catch(function () { /* offline: this edition stays */ });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      bar.classList.add("hb-stale");
      text.textContent = "A new edition was published: open any page to unlock it with the passphrase.";
    });
  }
})();
