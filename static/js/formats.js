/*
 * Dates and numbers in scripts written as the pages write them: the format strings (DATETIME_FORMAT,
 * THOUSAND_SEPARATOR, ...) come from Django's JavaScript catalogue (get_format, kcity/formats/<lang>), the month
 * and weekday names exactly as Django's `date` filter writes them (data-f, data-m, ... on this script's tag, from
 * the `date_names` tag of portal_i18n; gettext and English where a page lacks them), so
 * "4 December 2026 14:30" in English and "2026년 12월 4일 14:30" in Korean, never the browser's own locale.
 * base.html loads it on every page; a page whose script formats dates loads the catalogue too
 * ({% url 'javascript-catalog' %}); without it English formats apply. Django's format characters used by
 * kcity/formats: d j D l N n m M F Y y H G i s A a, and \x for a literal x.
 */
(function () {
  "use strict";

  // Looked up when called: this file loads on every page, the catalogue only where a script needs it.
  function gettext(s) { return window.gettext ? window.gettext(s) : s; }
  function pgettext(context, s) { return window.pgettext ? window.pgettext(context, s) : s; }
  function getFormat(name) {
    if (window.get_format) { return window.get_format(name); }
    return { DATE_FORMAT: "j F Y", DATETIME_FORMAT: "j F Y H:i", THOUSAND_SEPARATOR: ",", NUMBER_GROUPING: 3 }[name];
  }

  var tag = document.currentScript;
  function names(key) {
    var text = tag && tag.dataset[key];
    return text ? text.split("|") : null;
  }
  var FROM_PAGE = { F: names("f"), M: names("m"), N: names("n"), l: names("l"), D: names("d") };

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function monthAbbrev(month) {
    if (FROM_PAGE.M) { return FROM_PAGE.M[month]; }
    var full = MONTHS[month];
    return pgettext("abbrev. month " + full, full.slice(0, 3));
  }

  function dayAbbrev(day) {
    if (FROM_PAGE.D) { return FROM_PAGE.D[day]; }
    var full = DAYS[day];
    return pgettext("abbrev. day " + full, full.slice(0, 3));
  }

  function month(index) { return FROM_PAGE.F ? FROM_PAGE.F[index] : gettext(MONTHS[index]); }
  function weekday(index) { return FROM_PAGE.l ? FROM_PAGE.l[index] : gettext(DAYS[index]); }

  var CODES = {
    d: function (t) { return pad(t.getDate()); },
    j: function (t) { return String(t.getDate()); },
    D: function (t) { return dayAbbrev(t.getDay()); },
    l: function (t) { return weekday(t.getDay()); },
    n: function (t) { return String(t.getMonth() + 1); },
    m: function (t) { return pad(t.getMonth() + 1); },
    M: function (t) { return monthAbbrev(t.getMonth()); },
    N: function (t) { return FROM_PAGE.N ? FROM_PAGE.N[t.getMonth()] : monthAbbrev(t.getMonth()); },
    F: function (t) { return month(t.getMonth()); },
    Y: function (t) { return String(t.getFullYear()); },
    y: function (t) { return pad(t.getFullYear() % 100); },
    H: function (t) { return pad(t.getHours()); },
    G: function (t) { return String(t.getHours()); },
    i: function (t) { return pad(t.getMinutes()); },
    s: function (t) { return pad(t.getSeconds()); },
    A: function (t) { return t.getHours() < 12 ? gettext("AM") : gettext("PM"); },
    a: function (t) { return t.getHours() < 12 ? gettext("a.m.") : gettext("p.m."); }
  };

  /* A Date in one of Django's named formats of the page's language: date(d, "DATETIME_FORMAT"). */
  function date(value, name) {
    var format = getFormat(name || "DATE_FORMAT");
    var out = "";
    for (var i = 0; i < format.length; i += 1) {
      var c = format.charAt(i);
      if (c === "\\" && i + 1 < format.length) {
        i += 1;
        out += format.charAt(i);
      } else if (CODES[c]) {
        out += CODES[c](value);
      } else {
        out += c;
      }
    }
    return out;
  }

  /* An integer grouped as the page's language groups digits: 4,000 · 4 000 · 4.000. */
  function number(value, thousandSeparator, grouping) {
    var separator = thousandSeparator === undefined ? getFormat("THOUSAND_SEPARATOR") : thousandSeparator;
    var size = parseInt(grouping === undefined ? getFormat("NUMBER_GROUPING") : grouping, 10) || 0;
    var digits = String(Math.abs(Math.trunc(value)));
    if (size > 0 && separator) {
      var parts = [];
      while (digits.length > size) {
        parts.unshift(digits.slice(-size));
        digits = digits.slice(0, -size);
      }
      parts.unshift(digits);
      digits = parts.join(separator);
    }
    return (value < 0 ? "-" : "") + digits;
  }

  window.kcityFormats = { date: date, number: number };
})();
