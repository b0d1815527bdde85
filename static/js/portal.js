/*
 * Behaviour every page shares, kept in a file so the Content-Security-Policy can refuse inline scripts. No select
 * submits its form when changed (WCAG 3.2.2): the choosers have a button.
 * - Remember the browser's time zone so pages shown before sign-in use it too (read by accounts.middleware).
 * - <form data-confirm="..."> asks before it is sent (removing a document).
 * - <button data-print> prints the page (the receipt).
 */
(function () {
  "use strict";

  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("kcity_tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "kcity_tz=" + encodeURIComponent(zone) + ";path=/;max-age=31536000;samesite=lax";
    }
  } catch (e) { /* old browser: the site default (Asia/Seoul) is used */ }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
