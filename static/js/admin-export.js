/* django-import-export's export page: "Select all" ticks or clears every field (bound here, not inline, for the CSP). */
(function () {
  "use strict";
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", function (event) {
      if (typeof window.onSelectToggleChange === "function") { window.onSelectToggleChange(event); }
    });
  });
})();
