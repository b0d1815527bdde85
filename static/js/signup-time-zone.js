/* Sign-up: start the time-zone list at the browser's own zone, unless the page came back with the person's choice.
   The list shows each country's cities under the country's name (accounts.time_zones); a browser that reports an
   old name of its zone ("Asia/Calcutta") finds it through the aliases the select carries. */
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || select.dataset.bound === "true") { return; }
  var aliases = {};
  try { aliases = JSON.parse(select.dataset.aliases || "{}"); } catch (e) { aliases = {}; }
  function optionFor(name) {
    return name ? select.querySelector('option[value="' + name.replace(/["\\]/g, "") + '"]') : null;
  }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var option = optionFor(zone) || optionFor(aliases[zone]);
    if (option) { select.value = option.value; select.dataset.detected = option.value; }
  } catch (e) { /* an old browser keeps the default */ }
})();
