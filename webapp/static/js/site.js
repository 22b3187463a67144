/* Dichtbij: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  /* Snel weg (quick exit): replace this page without leaving it in the history. */
  var exit = document.querySelector(".js-quick-exit");
  if (exit) {
    var leave = function () {
      document.body.hidden = true;
      window.location.replace(exit.getAttribute("href"));
    };
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var escHint = document.querySelector(".js-esc-hint");
    if (escHint) {
      escHint.hidden = false; /* the Esc shortcut exists only with this script */
    }
    var lastEscape = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") {
        return;
      }
      var now = Date.now();
      if (now - lastEscape < 1500) {
        leave();
      }
      lastEscape = now;
    });
  }

  var status = document.querySelector(".js-status");
  var say = function (text) {
    if (status) {
      status.textContent = text;
    }
  };

  /* Print button. */
  Array.prototype.forEach.call(document.querySelectorAll(".js-print"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  /* Copy link: the URL also stays visible in a read-only field for people without JS. */
  var urlField = document.querySelector(".js-share-url");
  var copy = document.querySelector(".js-copy");
  if (copy && urlField && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(urlField.value).then(
        function () {
          say(copy.getAttribute("data-done"));
        },
        function () {
          urlField.select();
        }
      );
    });
  }

  /* The phone's own share sheet, where there is one. */
  var share = document.querySelector(".js-share");
  if (share && urlField && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.getAttribute("data-title"), url: urlField.value }).catch(function () {});
    });
  }
})();
