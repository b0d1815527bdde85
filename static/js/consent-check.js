/* Review step: the consent item in the list of problems follows the consent box as it is ticked. */
(function () {
  "use strict";
  var box = document.getElementById("id_consent"), item = document.getElementById("consent-problem");
  if (!box || !item) { return; }
  function sync() {
    item.querySelector("i").className = box.checked ? "bi bi-check-circle text-success" : "bi bi-x-circle text-danger";
    item.classList.toggle("text-body-secondary", box.checked);
  }
  box.addEventListener("change", sync);
  sync();
})();
