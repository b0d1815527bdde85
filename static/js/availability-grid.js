/* The weekly availability grid: "Add a time range" appends an empty row from the row's <template>. */
(function () {
  "use strict";
  document.querySelectorAll("#weekly-grid tr[data-weekday]").forEach(function (row) {
    var button = row.querySelector(".add-range");
    var template = row.querySelector("template.empty-row");
    var total = row.querySelector('input[name$="-TOTAL_FORMS"]');
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      row.querySelector(".range-rows").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  });
})();
