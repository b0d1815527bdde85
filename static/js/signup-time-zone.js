/* Sign-up: start the time-zone list at the browser's own zone, unless the page came back with the person's choice. */
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || select.dataset.bound === "true") { return; }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + zone + '"]')) { select.value = zone; }
  } catch (e) { /* an old browser keeps the default */ }
})();
