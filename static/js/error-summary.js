/*
 * The error summary (templates/includes/error_summary.html, GOV.UK's pattern): after a failed submit, focus
 * moves to it so a screen reader reads the list; a link in it moves focus to its field (a plain fragment link
 * would only scroll) and brings the field's label or legend into view with it.
 */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }

  function targetOf(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var input = document.getElementById(id);
    if (!input && /_0$/.test(id)) {
      // A radio group drawn by hand with its own ids (the track cards): its first input.
      input = document.querySelector('input[id^="' + CSS.escape(id.slice(0, -1)) + '"]');
    }
    return input;
  }

  // The list follows the page's order (GOV.UK), whatever order the form declares its fields in.
  var list = summary.querySelector("ul");
  if (list) {
    var items = Array.prototype.slice.call(list.children);
    var placed = items.map(function (item, index) {
      var link = item.querySelector("a[href^='#']");
      return { item: item, index: index, target: link ? targetOf(link) : null };
    });
    placed.sort(function (a, b) {
      if (a.target && b.target && a.target !== b.target) {
        return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      }
      return a.index - b.index;
    });
    placed.forEach(function (entry) { list.appendChild(entry.item); });
  }

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && (input.type === "radio" || input.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) { return legend; }
    }
    if (input.id) {
      var label = document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
      if (label) { return label; }
    }
    return input;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = targetOf(link);
    if (!input) { return; }
    event.preventDefault();
    var collapsed = input.closest(".collapse:not(.show)");
    if (collapsed && window.bootstrap) { window.bootstrap.Collapse.getOrCreateInstance(collapsed).show(); }
    labelFor(input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", link.getAttribute("href")); }
  });

  // After a failed submit the page opens on the summary, unless the person already followed a link to a field.
  if (!window.location.hash || !document.getElementById(window.location.hash.slice(1))) {
    summary.focus();
  }
})();
