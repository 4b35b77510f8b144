/* Session-timeout warning (WCAG 2.2.1 Timing Adjustable). Progressive enhancement: without
   JavaScript the server still ends the session (config.security); this only warns first.

   templates/includes/session_timeout.html renders the dialog with:
     data-session-seconds-left     seconds until the server ends the session
     data-session-warning-seconds  open the dialog this long before the end
     data-session-extendable       "true" when "Perpanjang sesi" can give more time
     data-session-extend-url       POST here (CSRF token in data-csrf-token) to extend
   Tabs of the same browser share the deadline through localStorage, so extending in one tab
   (or loading a page in it) also moves the deadline of the others. */
(function () {
  "use strict";

  var root = document.getElementById("session-timeout");
  if (!root) {
    return;
  }
  var STORAGE_KEY = "satupintu.session";
  var warningMs = (parseInt(root.getAttribute("data-session-warning-seconds"), 10) || 120) * 1000;
  var extendUrl = root.getAttribute("data-session-extend-url");
  var csrfToken = root.getAttribute("data-csrf-token");
  var extendButton = root.querySelector("[data-session-extend]");
  var errorText = root.querySelector("[data-session-error]");
  var texts = root.querySelectorAll("[data-session-text]");
  var countdowns = root.querySelectorAll("[data-session-countdown]");

  var state = {
    deadline: Date.now() + (parseInt(root.getAttribute("data-session-seconds-left"), 10) || 0) * 1000,
    extendable: root.getAttribute("data-session-extendable") === "true"
  };
  var open = false;
  var dismissedDeadline = null;
  var returnFocus = null;
  var modal = window.bootstrap && window.bootstrap.Modal
    ? window.bootstrap.Modal.getOrCreateInstance(root, { backdrop: "static", keyboard: true, focus: true })
    : null;

  function publish() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      /* private mode or storage full: each tab keeps its own deadline */
    }
  }

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function showText() {
    var wanted = state.extendable ? "extendable" : "final";
    var describedBy = [];
    Array.prototype.forEach.call(texts, function (text) {
      var visible = text.getAttribute("data-session-text") === wanted;
      text.hidden = !visible;
      if (visible) {
        describedBy.push(text.id);
      }
    });
    root.setAttribute("aria-describedby", describedBy.join(" "));
    extendButton.hidden = !state.extendable || !window.fetch;
  }

  function show() {
    open = true;
    returnFocus = document.activeElement;
    errorText.hidden = true;
    showText();
    if (modal) {
      modal.show();
    } else {
      root.classList.add("d-block");
      root.removeAttribute("aria-hidden");
    }
    /* Bootstrap gives the modal role="dialog"; this one interrupts, so it is an alertdialog. */
    root.setAttribute("role", "alertdialog");
    root.setAttribute("aria-modal", "true");
    var target = state.extendable ? extendButton : root.querySelector("[data-bs-dismiss]");
    if (target) {
      target.focus();
    }
  }

  function hide() {
    if (!open) {
      return;
    }
    open = false;
    if (modal) {
      modal.hide();
    } else {
      root.classList.remove("d-block");
      root.setAttribute("aria-hidden", "true");
    }
  }

  root.addEventListener("shown.bs.modal", function () {
    root.setAttribute("role", "alertdialog");
  });
  root.addEventListener("hidden.bs.modal", function () {
    if (open) {
      /* closed with "Tutup" or Escape: do not reopen until the deadline changes */
      open = false;
      dismissedDeadline = state.deadline;
    }
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
  });

  function expire() {
    /* The server ends the session on this request and shows the log-in page with a message. */
    window.location.assign(window.location.href.split("#")[0]);
  }

  function tick() {
    var left = state.deadline - Date.now();
    if (left <= 0) {
      window.clearInterval(timer);
      expire();
      return;
    }
    Array.prototype.forEach.call(countdowns, function (countdown) {
      countdown.textContent = format(left);
    });
    if (left <= warningMs) {
      if (!open && dismissedDeadline !== state.deadline) {
        show();
      }
    } else {
      dismissedDeadline = null;
      hide();
    }
  }

  function extend() {
    extendButton.disabled = true;
    errorText.hidden = true;
    window.fetch(extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 401) {
        expire();
        return null;
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (body) {
      if (!body) {
        return;
      }
      state = { deadline: Date.now() + body.seconds_left * 1000, extendable: body.extendable };
      publish();
      hide();
    }).catch(function () {
      errorText.hidden = false;
    }).then(function () {
      extendButton.disabled = false;
    });
  }

  if (window.fetch) {
    extendButton.addEventListener("click", extend);
  }

  window.addEventListener("storage", function (event) {
    if (event.key !== STORAGE_KEY || !event.newValue) {
      return;
    }
    try {
      var shared = JSON.parse(event.newValue);
      if (typeof shared.deadline === "number") {
        state = { deadline: shared.deadline, extendable: !!shared.extendable };
        tick();
      }
    } catch (e) {
      /* ignore a malformed value */
    }
  });

  publish();
  var timer = window.setInterval(tick, 1000);
  tick();
})();
