/* levelup: small progressive enhancement. Every page works without this file.

   In-place updates: a form marked `data-inplace` (status buttons, ratings and notes,
   onboarding ticks, quick add) is sent with fetch instead of a page load. The server
   answers as it always does (post, then redirect back to the page); the script reads
   that page and swaps in each element marked `data-inplace-region` (with an id) whose
   content changed, keeps the scroll position, puts focus back on the control that was
   used, and reads the page's message out in a polite live region. A refused form (an
   error page, another address) falls back to a normal submit, so the server's error
   page shows as it would without JavaScript.

   Keyboard shortcuts (see docs/ui.md):
   - An element marked `data-shortcut-scope` groups controls for one item (a
     topic, a project). Inside it, a button or link with `data-shortcut="d"`
     is pressed by the D key while focus is inside the scope, or while the
     pointer rests over it. The roadmap's item controls use D (done),
     L (learning: in progress), S (skip) and R (reset to not started).
   - Keys are ignored while typing in a field, or with Ctrl, Alt or Meta held.
   - `?` opens a help overlay listing the shortcuts; Escape closes it.

   Copy buttons: a read-only field marked `data-copy` (a new token, a calendar
   address) gets a "Copy" button beside it that puts the value on the
   clipboard and says so in a polite live region. Without the script, or
   without clipboard access, the field is still there to select and copy.

   Error summaries: after a refused submit, focus moves to the page's error
   summary (`.form-errors`), so a screen reader reads what to fix first.
*/
(function () {
  "use strict";

  var hovered = null;

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function activeScope() {
    var focused = document.activeElement;
    var scope = focused && focused.closest ? focused.closest("[data-shortcut-scope]") : null;
    return scope || hovered;
  }

  document.addEventListener("mouseover", function (event) {
    var target = event.target;
    hovered = target && target.closest ? target.closest("[data-shortcut-scope]") : null;
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      openShortcutHelp();
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key.length !== 1) return;
    var scope = activeScope();
    if (!scope) return;
    var control = scope.querySelector('[data-shortcut="' + key + '"]');
    if (!control || control.disabled) return;
    event.preventDefault();
    control.click();
  });

  // --- the ? overlay ------------------------------------------------------------

  var SHORTCUTS = [
    ["D", "Mark the item under focus or pointer done"],
    ["L", "Mark it in progress (learning)"],
    ["S", "Skip it"],
    ["R", "Reset it to not started"],
    ["?", "Show this help"],
    ["Esc", "Close this help"]
  ];
  var helpDialog = null;

  function openShortcutHelp() {
    if (!helpDialog) {
      helpDialog = document.createElement("dialog");
      helpDialog.className = "shortcut-help";
      helpDialog.setAttribute("aria-labelledby", "shortcut-help-title");
      var title = document.createElement("h2");
      title.id = "shortcut-help-title";
      title.textContent = "Keyboard shortcuts";
      helpDialog.appendChild(title);
      var intro = document.createElement("p");
      intro.textContent =
        "Move focus into an item's controls (or point at them), then press a key. Keys do nothing while you type in a field.";
      helpDialog.appendChild(intro);
      var list = document.createElement("dl");
      for (var i = 0; i < SHORTCUTS.length; i++) {
        var dt = document.createElement("dt");
        var kbd = document.createElement("kbd");
        kbd.textContent = SHORTCUTS[i][0];
        dt.appendChild(kbd);
        var dd = document.createElement("dd");
        dd.textContent = SHORTCUTS[i][1];
        list.appendChild(dt);
        list.appendChild(dd);
      }
      helpDialog.appendChild(list);
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", function () {
        helpDialog.close();
      });
      helpDialog.appendChild(close);
      document.body.appendChild(helpDialog);
    }
    if (!helpDialog.open) helpDialog.showModal();
  }

  // --- in-place updates -----------------------------------------------------------

  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary";

  function liveRegion() {
    var region = document.getElementById("live-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "live-status";
      region.className = "live-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(text) {
    var region = liveRegion();
    region.textContent = "";
    // A fresh text node after a tick makes screen readers announce a repeat too.
    window.setTimeout(function () {
      region.textContent = text;
      region.classList.toggle("live-status-shown", !!text);
    }, 30);
  }

  // Forms carry per-render values (CSRF masks, one-time tokens) that differ on every
  // page load; they do not make a region "changed".
  function comparable(element) {
    var copy = element.cloneNode(true);
    var volatile = copy.querySelectorAll("input[name=csrfmiddlewaretoken], input[name=form_token]");
    for (var i = 0; i < volatile.length; i++) volatile[i].removeAttribute("value");
    return copy.innerHTML;
  }

  function swapRegions(fresh, focusedRegionId, focusedIndex) {
    var regions = document.querySelectorAll("[data-inplace-region][id]");
    var focusTarget = null;
    for (var i = 0; i < regions.length; i++) {
      var old = regions[i];
      var replacement = fresh.getElementById(old.id);
      if (!replacement) continue;
      var sameContent = comparable(old) === comparable(replacement);
      if (sameContent && old.id !== focusedRegionId) continue;
      var openDetails = [];
      var details = old.querySelectorAll("details");
      for (var d = 0; d < details.length; d++) openDetails.push(details[d].open);
      var imported = document.importNode(replacement, true);
      old.replaceWith(imported);
      var newDetails = imported.querySelectorAll("details");
      for (var n = 0; n < newDetails.length && n < openDetails.length; n++) {
        if (openDetails[n]) newDetails[n].open = true;
      }
      enhance(imported);
      if (old.id === focusedRegionId) {
        var focusables = imported.querySelectorAll(FOCUSABLE);
        focusTarget = focusables[Math.min(focusedIndex, focusables.length - 1)] || imported;
      }
    }
    return focusTarget;
  }

  function messagesOf(fresh) {
    var items = fresh.querySelectorAll(".messages li");
    var texts = [];
    for (var i = 0; i < items.length; i++) texts.push(items[i].textContent.trim());
    return texts.join(" ");
  }

  function submitInPlace(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var focused = document.activeElement;
    var region = (submitter || focused || form).closest("[data-inplace-region][id]") ||
      form.closest("[data-inplace-region][id]");
    var regionId = region ? region.id : null;
    var index = 0;
    if (region) {
      var focusables = Array.prototype.slice.call(region.querySelectorAll(FOCUSABLE));
      var current = region.contains(focused) ? focused : submitter;
      index = Math.max(0, focusables.indexOf(current));
    }
    var x = window.scrollX;
    var y = window.scrollY;
    form.setAttribute("aria-busy", "true");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        var landed = new URL(response.url, window.location.href);
        if (!response.ok || landed.pathname !== window.location.pathname) {
          throw new Error("fall back");
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var target = swapRegions(fresh, regionId, index);
        window.scrollTo(x, y);
        if (target) target.focus({ preventScroll: true });
        window.scrollTo(x, y);
        announce(messagesOf(fresh) || "Saved.");
      })
      .catch(function () {
        // Let the browser send it the ordinary way and show whatever the server says.
        form.setAttribute("data-inplace-off", "");
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = submitter.name;
          hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
      });
  }

  function enhance(root) {
    var forms = root.matches && root.matches("form[data-inplace]") ? [root] : [];
    var inner = root.querySelectorAll ? root.querySelectorAll("form[data-inplace]") : [];
    for (var i = 0; i < inner.length; i++) forms.push(inner[i]);
    for (var f = 0; f < forms.length; f++) {
      if (forms[f].hasAttribute("data-inplace-ready")) continue;
      forms[f].setAttribute("data-inplace-ready", "");
      forms[f].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        if (form.hasAttribute("data-inplace-off") || !window.fetch || !window.DOMParser) return;
        event.preventDefault();
        submitInPlace(form, event.submitter || null);
      });
    }
    var copies = root.querySelectorAll ? root.querySelectorAll("[data-shortcut]") : [];
    for (var c = 0; c < copies.length; c++) hintShortcut(copies[c]);
  }

  function hintShortcut(el) {
    var hint = "Shortcut: " + el.getAttribute("data-shortcut").toUpperCase();
    if (!el.title) el.title = hint;
    el.setAttribute("aria-keyshortcuts", el.getAttribute("data-shortcut").toUpperCase());
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    liveRegion();
    // After a refused submit the server re-renders the form with a summary of what to fix.
    var summary = document.querySelector(".form-errors");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  });

  function addCopyButton(field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary copy-button";
    button.textContent = "Copy";
    var status = document.createElement("span");
    status.className = "copy-status small";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      field.select();
      if (!navigator.clipboard) {
        status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy.";
        return;
      }
      navigator.clipboard.writeText(field.value).then(
        function () {
          status.textContent = "Copied.";
        },
        function () {
          status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy.";
        }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("input[data-copy]");
    for (var i = 0; i < fields.length; i++) addCopyButton(fields[i]);
  });

  // Time-zone selects start at the browser's own zone while they still hold the default,
  // so a learner signs up or enrolls in their zone without scrolling a list of 400.
  document.addEventListener("DOMContentLoaded", function () {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return;
    }
    var selects = document.querySelectorAll("select[data-browser-zone]");
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      if (select.getAttribute("data-browser-zone") !== "") continue; // the learner chose
      for (var j = 0; j < select.options.length; j++) {
        if (select.options[j].value === zone) {
          select.value = zone;
          break;
        }
      }
    }
  });
})();
