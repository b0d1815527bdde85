/*
 * Autosave for the proposal form steps (no framework).
 *
 * 1. While the person types, the form's values are kept in localStorage under
 *    "<data-storage-key>:<version>", so a closed tab or a lost connection loses nothing.
 * 2. After ~5 seconds without typing, the form is POSTed to data-autosave-url; the server answers
 *    {version, saved_at_display} (saved), 409 (someone else saved first), 400 {errors} or 403 {error}.
 * 3. Only a confirmed save counts: a 2xx JSON answer from the autosave URL itself (not a redirect, e.g. to
 *    the sign-in page when the session has ended) carrying the new version. Anything else is "Not saved – kept
 *    on this device" and the local copy stays.
 * 4. On page load (after signing in again, too), text kept on this device that differs from what the page
 *    shows is offered back ("Restore" / "Discard"). Entries are cleared after a confirmed save.
 * 5. Errors from the server are shown under their field, tied to it (aria-invalid, aria-describedby), and
 *    the status line (role=status, aria-live=polite) announces the outcome.
 * Strings come from Django's JavaScript catalog (gettext / interpolate).
 */
(function () {
  "use strict";

  var form = document.getElementById("step-form");
  if (!form || !window.localStorage) {
    return;
  }
  var gettext = window.gettext || function (s) { return s; };
  var fmt = window.interpolate || function (s, args) { return s.replace("%s", args[0]); };

  var IDLE_MS = 5000;
  var RETRY_MS = 15000;
  var SKIP = /^(csrfmiddlewaretoken|version|save|continue)$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  var prefix = form.dataset.storageKey;
  var autosaveUrl = form.dataset.autosaveUrl || "";
  var versionInput = form.querySelector("input[name=version]");
  var statusLine = document.getElementById("autosave-status");
  var timer = null;
  var inFlight = false;
  var stopped = false;
  var dirty = false;

  function setStatus(text, tone) {
    if (!statusLine) {
      return;
    }
    statusLine.textContent = text;
    statusLine.className = "small text-end " + (tone ? "text-" + tone : "text-muted");
  }

  function currentVersion() {
    return versionInput ? versionInput.value : "0";
  }

  // The form's values as {name: value | [values]}; files and bookkeeping fields are left out.
  function snapshot() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP.test(el.name) || el.type === "file" || el.type === "submit" || el.type === "button") {
        return;
      }
      if (el.type === "checkbox") {
        if (!(el.name in values)) {
          values[el.name] = [];
        }
        if (el.checked) {
          values[el.name].push(el.value);
        }
      } else if (el.type === "radio") {
        if (el.checked) {
          values[el.name] = el.value;
        } else if (!(el.name in values)) {
          values[el.name] = "";
        }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function sameValues(a, b) {
    return Object.keys(a).every(function (name) {
      return !(name in b) || JSON.stringify(a[name]) === JSON.stringify(b[name]);
    });
  }

  function apply(values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values) || el.type === "file") {
        return;
      }
      var value = values[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = el.value === value;
      } else {
        el.value = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));  // so the character counter follows
      }
    });
  }

  function storedEntries() {
    var entries = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix + ":") === 0) {
        try {
          var entry = JSON.parse(localStorage.getItem(key));
          entry.key = key;
          entries.push(entry);
        } catch (e) {
          localStorage.removeItem(key);
        }
      }
    }
    return entries;
  }

  function keepLocally() {
    var entry = { at: Date.now(), version: currentVersion(), values: snapshot() };
    try {
      localStorage.setItem(prefix + ":" + entry.version, JSON.stringify(entry));
    } catch (e) {
      /* storage full or disabled: the server save still runs */
    }
  }

  function clearLocal() {
    storedEntries().forEach(function (entry) { localStorage.removeItem(entry.key); });
  }

  function describedBy(el, id, add) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (add) { ids.push(id); }
    if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); } else { el.removeAttribute("aria-describedby"); }
  }

  function clearFieldErrors() {
    form.querySelectorAll(".autosave-invalid").forEach(function (el) {
      el.classList.remove("is-invalid", "autosave-invalid");
      if (el.dataset.autosaveInvalid === "set") { el.removeAttribute("aria-invalid"); }
      delete el.dataset.autosaveInvalid;
      if (el.dataset.autosaveError) { describedBy(el, el.dataset.autosaveError, false); delete el.dataset.autosaveError; }
    });
    form.querySelectorAll(".autosave-feedback").forEach(function (el) { el.remove(); });
  }

  function showFieldErrors(errors) {
    clearFieldErrors();
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.querySelector("[name='" + CSS.escape(name) + "']");
      var target = field;
      if (!field) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        // A group's message belongs to its fieldset (GOV.UK); a lone checkbox keeps it itself.
        target = field.closest("fieldset") || field;
      }
      var id = (field.id || name) + "_autosave_error";
      var feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block autosave-feedback";
      feedback.id = id;
      feedback.textContent = errors[name].join(" ");
      (target === field ? field : target.lastElementChild || target).insertAdjacentElement("afterend", feedback);
      target.classList.add("autosave-invalid");
      if (target === field) { field.classList.add("is-invalid"); }
      if (target.getAttribute("aria-invalid") !== "true") {
        target.setAttribute("aria-invalid", "true");
        target.dataset.autosaveInvalid = "set";
      }
      target.dataset.autosaveError = id;
      describedBy(target, id, true);
    });
  }

  // A save the server confirmed: its own URL answered 2xx with JSON carrying the new version.
  function confirmedSave(response, body) {
    if (!response.ok || response.redirected || response.type === "opaqueredirect") {
      return false;
    }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) {
      return false;
    }
    try {
      if (new URL(response.url, window.location.href).pathname !== new URL(autosaveUrl, window.location.href).pathname) {
        return false;
      }
    } catch (e) { /* an old browser without URL: the checks above and below still hold */ }
    return !!body && body.version !== undefined && body.version !== null && typeof body.saved_at_display === "string";
  }

  function schedule(delay) {
    if (!autosaveUrl || stopped) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    if (!dirty || stopped) {
      return;
    }
    if (inFlight) {
      schedule(IDLE_MS);
      return;
    }
    inFlight = true;
    var sent = JSON.stringify(snapshot());
    setStatus(gettext("Saving…"));
    fetch(autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
      // A redirect (to the sign-in page when the session has ended) is never a save: do not follow it.
      redirect: "manual",
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return (json ? response.json() : Promise.reject(new Error("not json"))).catch(function () { return null; }).then(function (body) {
          return { status: response.status, body: body || {}, confirmed: confirmedSave(response, body), json: json };
        });
      })
      .then(function (result) {
        inFlight = false;
        if (result.confirmed) {
          if (versionInput) {
            versionInput.value = result.body.version;
          }
          clearLocal();
          clearFieldErrors();
          setStatus(fmt(gettext("Saved %s"), [result.body.saved_at_display]), "success");
          dirty = JSON.stringify(snapshot()) !== sent;
          if (dirty) {
            keepLocally();
            schedule(IDLE_MS);
          }
        } else if (!result.json || result.status === 0 || (result.status >= 300 && result.status < 400)) {
          // Redirected (the session has ended, or the page moved) or not the autosave's answer at all.
          keepLocally();
          setStatus(gettext("Not saved – kept on this device. Your session may have ended: sign in again and this text is offered back."), "danger");
          schedule(RETRY_MS);
        } else if (result.status >= 200 && result.status < 300) {
          keepLocally();
          setStatus(gettext("Not saved – kept on this device. Retrying…"), "warning");
          schedule(RETRY_MS);
        } else if (result.status === 409) {
          stopped = true;
          setStatus(gettext("Someone else saved this proposal meanwhile. Your text is kept on this device; press Save to compare it with theirs."), "danger");
        } else if (result.status === 400) {
          keepLocally();
          showFieldErrors(result.body.errors);
          setStatus(gettext("Not saved yet: please correct the marked fields. Your text is kept on this device."), "warning");
        } else if (result.status === 403) {
          stopped = true;
          setStatus(result.body.error || gettext("You can no longer edit this proposal."), "danger");
        } else {
          keepLocally();
          setStatus(gettext("Not saved (server error) – kept on this device. Retrying…"), "warning");
          schedule(RETRY_MS);
        }
      })
      .catch(function () {
        inFlight = false;
        setStatus(gettext("Offline – kept on this device"), "warning");
        schedule(RETRY_MS);
      });
  }

  function onEdit() {
    dirty = true;
    keepLocally();
    setStatus(gettext("Unsaved changes"));
    schedule(IDLE_MS);
  }

  function offerRestore() {
    var shown = snapshot();
    var candidates = storedEntries().filter(function (entry) {
      return entry.values && !sameValues(entry.values, shown);
    });
    if (!candidates.length) {
      // What this device kept is what the page shows: nothing to offer.
      if (form.dataset.unsaved !== "1") {
        clearLocal();
      }
      return;
    }
    candidates.sort(function (a, b) { return b.at - a.at; });
    var newest = candidates[0];
    var box = document.getElementById("autosave-restore");
    var text = document.getElementById("autosave-restore-text");
    if (!box || !text) {
      return;
    }
    // Written as the page writes dates (Django's DATETIME_FORMAT for the language, static/js/formats.js).
    var when = window.kcityFormats ? window.kcityFormats.date(new Date(newest.at), "DATETIME_FORMAT")
      : new Date(newest.at).toISOString();
    var message = fmt(gettext("You have unsaved text from %s on this device."), [when]);
    if (String(newest.version) !== String(currentVersion())) {
      message += " " + gettext("The proposal has been saved since then, perhaps by a colleague: check the result before saving.");
    }
    text.textContent = message;
    box.classList.remove("d-none");
    document.getElementById("autosave-restore-button").addEventListener("click", function () {
      apply(newest.values);
      box.classList.add("d-none");
      onEdit();
      setStatus(gettext("Restored – not saved yet"), "warning");
    });
    document.getElementById("autosave-discard-button").addEventListener("click", function () {
      clearLocal();
      box.classList.add("d-none");
    });
  }

  offerRestore();
  if (form.dataset.unsaved === "1") {
    // A page that came back with errors or a conflict: what it shows is not saved, keep it on this device.
    keepLocally();
  }
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    stopped = true;
    keepLocally();
  });
  window.addEventListener("online", function () {
    if (dirty) {
      schedule(500);
    }
  });
})();
