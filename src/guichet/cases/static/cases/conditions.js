/* Conditional fields of request forms (docs/forms.md, "Conditions"), shown and hidden live.
   Progressive enhancement only: without this script every field of the page is shown with a
   note "À remplir seulement si …", and the server drops the answers of hidden fields anyway.
   Each field is a [data-field-key] container; a conditional one carries data-condition, the
   definition's condition in JSON, where tests on other pages were already decided by the
   server. A hidden field's inputs are disabled: not sent, not checked by the browser, and it
   counts as unanswered for the conditions after it (they only read earlier fields, so one pass
   in page order is enough). */
(function () {
  "use strict";
  if (window.guichetConditions) { return; }

  function box(form, key) {
    var found = null;
    form.querySelectorAll("[data-field-key]").forEach(function (element) {
      if (element.dataset.fieldKey === key) { found = element; }
    });
    return found;
  }

  function checkedValues(element, type) {
    return Array.prototype.map.call(
      element.querySelectorAll("input[type=" + type + "]:checked"),
      function (input) { return input.value; }
    );
  }

  function valueOf(form, key) {
    var element = box(form, key);
    if (!element || element.hidden) { return undefined; }
    var type = element.dataset.fieldType;
    if (type === "checkbox") {
      var tick = element.querySelector("input[type=checkbox]");
      return tick ? tick.checked : undefined;
    }
    if (type === "multichoice") { return checkedValues(element, "checkbox"); }
    if (type === "choice" || type === "household_member") {
      var select = element.querySelector("select");
      return select ? select.value : (checkedValues(element, "radio")[0] || "");
    }
    // Text, or several parts (address, location, file): answered when any part is.
    var parts = [];
    element.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.type === "file") {
        if (input.files && input.files.length) { parts.push(input.value); }
      } else if (input.type === "radio") {
        if (input.checked && input.value !== "new") { parts.push(input.value); }
      } else if (input.value.trim()) {
        parts.push(input.value.trim());
      }
    });
    return parts.join(" ");
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function same(answer, expected, numeric) {
    if (numeric) {
      return parseFloat(String(answer).replace(/\s/g, "").replace(",", ".")) === Number(expected);
    }
    return String(answer) === String(expected);
  }

  function matches(answer, expected, numeric) {
    if (Array.isArray(answer)) { return answer.indexOf(String(expected)) !== -1; }
    return same(answer, expected, numeric);
  }

  function holds(form, condition) {
    if (condition.all) { return condition.all.every(function (c) { return holds(form, c); }); }
    if (condition.any) { return condition.any.some(function (c) { return holds(form, c); }); }
    var answer = valueOf(form, condition.field);
    if ("answered" in condition) { return !isEmpty(answer) === condition.answered; }
    if ("is_true" in condition) { return (answer === true) === condition.is_true; }
    if (isEmpty(answer)) { return false; }
    if ("equals" in condition) { return matches(answer, condition.equals, condition.numeric); }
    if ("not_equals" in condition) { return !matches(answer, condition.not_equals, condition.numeric); }
    return condition["in"].some(function (value) { return matches(answer, value, condition.numeric); });
  }

  function show(element, shown) {
    element.hidden = !shown;
    element.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (!shown && !input.disabled) {
        input.disabled = true;
        input.dataset.conditionDisabled = "true";
      } else if (shown && input.dataset.conditionDisabled) {
        input.disabled = false;
        delete input.dataset.conditionDisabled;
      }
    });
  }

  function refresh(form) {
    form.querySelectorAll("[data-condition]").forEach(function (element) {
      var condition;
      try { condition = JSON.parse(element.dataset.condition); } catch (error) { return; }
      show(element, holds(form, condition));
    });
  }

  function setUp(form) {
    // The field now appears exactly when it applies: the note for readers without the script
    // would only repeat it.
    form.querySelectorAll("[data-condition-note]").forEach(function (note) {
      form.querySelectorAll("[aria-describedby]").forEach(function (described) {
        var ids = described.getAttribute("aria-describedby").split(/\s+/).filter(function (id) {
          return id && id !== note.id;
        });
        if (ids.length) { described.setAttribute("aria-describedby", ids.join(" ")); }
        else { described.removeAttribute("aria-describedby"); }
      });
      note.remove();
    });
    refresh(form);
    form.addEventListener("input", function () { refresh(form); });
    form.addEventListener("change", function () { refresh(form); });
  }

  function forms() {
    var found = [];
    document.querySelectorAll("[data-condition]").forEach(function (element) {
      var form = element.closest("form");
      if (form && found.indexOf(form) === -1) { found.push(form); }
    });
    return found;
  }

  forms().forEach(setUp);
  // For scripts that fill a form without events (a draft restored from this device).
  window.guichetConditions = { refresh: function () { forms().forEach(refresh); } };
})();
