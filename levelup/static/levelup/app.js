/* levelup: small progressive enhancement. Every page works without this file.

   Keyboard shortcuts (see docs/ui.md):
   - An element marked `data-shortcut-scope` groups controls for one item (a
     topic, a project). Inside it, a button or link with `data-shortcut="d"`
     is pressed by the D key while focus is inside the scope, or while the
     pointer rests over it. The roadmap's item controls use D (done),
     L (learning: in progress), S (skip) and R (reset to not started).
   - Keys are ignored while typing in a field, or with Ctrl, Alt or Meta held.
   - `?` moves focus to the first element with `data-shortcut-help`, if any.

   Copy buttons: a read-only field marked `data-copy` (a new token, a calendar
   address) gets a "Copy" button beside it that puts the value on the
   clipboard and says so in a polite live region. Without the script, or
   without clipboard access, the field is still there to select and copy.
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
      var help = document.querySelector("[data-shortcut-help]");
      if (help) {
        help.focus();
        event.preventDefault();
      }
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

  // Tell shortcut-capable controls' titles about their keys, so mouse users learn them.
  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.querySelectorAll("[data-shortcut]");
    for (var i = 0; i < controls.length; i++) {
      var el = controls[i];
      var hint = "Shortcut: " + el.getAttribute("data-shortcut").toUpperCase();
      if (!el.title) el.title = hint;
      el.setAttribute("aria-keyshortcuts", el.getAttribute("data-shortcut").toUpperCase());
    }
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
