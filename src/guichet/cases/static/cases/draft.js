/* Draft autosave: what the resident types is saved on the server a moment after they stop
   typing. When the connection drops or the session has expired, the answers are kept in this
   browser (localStorage) and restored and saved again on the next visit or when the connection
   comes back. Files are never autosaved: they are sent with the page. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var storageKey = "guichet-draft-" + form.dataset.draft + "-" + form.dataset.page;
  var serverSavedAt = parseInt(form.dataset.savedAt || "0", 10) * 1000;
  var timer = null;
  var lang = document.documentElement.lang || "fr";
  var texts = {
    fr: {
      saved: "Brouillon enregistré à ",
      offline: "Connexion perdue : vos réponses sont gardées sur cet appareil et seront enregistrées dès le retour de la connexion.",
      session: "Votre session a expiré : reconnectez-vous dans un autre onglet ; vos réponses sont gardées sur cet appareil.",
      restored: "Vos réponses non enregistrées ont été restaurées."
    },
    en: {
      saved: "Draft saved at ",
      offline: "Connection lost: your answers are kept on this device and will be saved as soon as the connection is back.",
      session: "Your session has expired: log in again in another tab; your answers are kept on this device.",
      restored: "Your unsaved answers have been restored."
    }
  };
  var t = texts[lang] || texts.fr;

  function say(text) { if (status) { status.textContent = text; } }

  function fields() {
    var data = new FormData(form);
    var values = {};
    data.forEach(function (value, name) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken") { return; }
      (values[name] = values[name] || []).push(value);
    });
    return values;
  }

  function keepLocally() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ at: Date.now(), values: fields() }));
    } catch (e) { /* private mode or full storage: the server copy is all we have */ }
  }

  function forget() { try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ } }

  function save() {
    timer = null;
    var body = new FormData();
    var values = fields();
    Object.keys(values).forEach(function (name) {
      values[name].forEach(function (value) { body.append(name, value); });
    });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (result) {
          forget();
          say(t.saved + result.saved_at);
        });
      }
      keepLocally();
      say(response.status === 401 || response.status === 403 ? t.session : t.offline);
    }).catch(function () {
      keepLocally();
      say(t.offline);
    });
  }

  function schedule() {
    keepLocally();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  }

  function restore() {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { stored = null; }
    if (!stored || !stored.values || stored.at <= serverSavedAt) { forget(); return; }
    Object.keys(stored.values).forEach(function (name) {
      var inputs = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      var values = stored.values[name];
      inputs.forEach(function (input) {
        if (input.type === "file") { return; }
        if (input.type === "checkbox" || input.type === "radio") {
          input.checked = values.indexOf(input.value) !== -1;
        } else if (input.tagName === "SELECT" && input.multiple) {
          Array.prototype.forEach.call(input.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else {
          input.value = values[0];
        }
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    say(t.restored);
    save();
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); } forget(); });
  window.addEventListener("online", function () { save(); });
  restore();
})();

/* A submit button marked data-submit-once is disabled after the first click (the server
   files the case once anyway: this only spares the resident a confusing second wait). */
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("[data-submit-once]");
  if (button) {
    setTimeout(function () { button.disabled = true; button.setAttribute("aria-disabled", "true"); }, 0);
  }
});
