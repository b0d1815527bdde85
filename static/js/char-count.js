/*
 * "123 / 4000 characters" under every <textarea maxlength>, as the person types.
 * The visible line changes on each key; screen readers hear it through a polite live region that is updated
 * only once typing pauses, so they are not interrupted on every key (the pattern GOV.UK's character count uses).
 * The wording comes from the page (data-text on this script's tag, translated by Django), with {count} and
 * {max} in it. Counts are UTF-16 code units, the same as the browser's own maxlength.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var text = (script && script.dataset.text) || "{count} / {max} characters";
  // Digit grouping as Django writes numbers in the page's language (kcity/formats via base.html), not the
  // browser's own locale: "4,000", "4 000", "4.000".
  var separator = script && script.dataset.thousandSeparator !== undefined ? script.dataset.thousandSeparator : ",";
  var grouping = script && script.dataset.numberGrouping !== undefined ? script.dataset.numberGrouping : "3";
  var PAUSE_MS = 1000;

  function number(n) {
    return window.kcityFormats ? window.kcityFormats.number(n, separator, grouping) : String(n);
  }

  function say(count, max) {
    return text.replace("{count}", number(count)).replace("{max}", number(max));
  }

  function attach(field, index) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max || field.dataset.charCount) { return; }
    field.dataset.charCount = "on";
    var id = (field.id || "field-" + index) + "-char-count";
    var shown = document.createElement("div");
    shown.className = "form-text char-count";
    shown.id = id;
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", shown);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + id);

    var timer = null;
    function update() {
      var count = field.value.length;
      shown.textContent = say(count, max);
      shown.classList.toggle("text-danger", count >= max);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = say(count, max); }, PAUSE_MS);
    }
    field.addEventListener("input", update);
    field.addEventListener("change", update);  // text put back by autosave's "Restore" button
    shown.textContent = say(field.value.length, max);
  }

  document.querySelectorAll("textarea[maxlength]").forEach(attach);
})();
