/* django-import-export's export page binds "Select all" with an inline onchange=, which the CSP refuses. */
(function () {
  "use strict";
  document.querySelectorAll("input.select-toggle[onchange]").forEach(function (toggle) {
    toggle.addEventListener("change", function (event) {
      if (typeof window.onSelectToggleChange === "function") { window.onSelectToggleChange(event); }
    });
  });
})();
