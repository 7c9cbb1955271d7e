// Search as you type: the WAI-ARIA 1.2 combobox pattern, with a listbox popup.
//
// Progressive enhancement only. The server renders an ordinary search form; this script turns
// its input[data-combobox-source] into a combobox whose suggestions are an HTML fragment from
// that URL (?q=…), and announces how many results there are in a polite live region. Enter on
// an option opens it; Enter anywhere else submits the form, as without JavaScript.
//
// Markup expected around the input: data-combobox-listbox (id of an empty, hidden element
// that becomes the listbox), data-combobox-status (id of an element with role="status").
// Optional: data-combobox-log (URL that keeps the search in the search log, POSTed with
// navigator.sendBeacon) and data-csrf-token.
//
// The fragment is one element whose data-status holds the sentence to announce; its children
// are role="option" or role="group" elements. An option with data-href opens that address;
// one with data-query replaces the search text ("did you mean"); data-slug marks a procedure
// whose opening is written to the search log.
(function () {
  "use strict";

  const DEBOUNCE_MS = 200;
  const MIN_LENGTH = 2;
  // A query shown this long is one the person read: it is kept in the search log if they
  // then leave it without opening a result (and not when they just go on typing).
  const SETTLE_MS = 1500;

  function normalise(text) {
    return text.trim().replace(/\s+/g, " ").toLowerCase();
  }

  function setup(input) {
    const form = input.form;
    const listbox = document.getElementById(input.dataset.comboboxListbox);
    const status = document.getElementById(input.dataset.comboboxStatus);
    if (!form || !listbox || !status) {
      return;
    }
    const source = input.dataset.comboboxSource;
    const logUrl = input.dataset.comboboxLog;
    const csrfToken = input.dataset.csrfToken || "";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    listbox.setAttribute("role", "listbox");

    let timer = null;
    let controller = null;
    let shownQuery = "";
    let active = null;
    // Down was pressed before the suggestions arrived: select the first one when they do.
    let wantFirst = false;
    // The last query shown, until it is logged, opened or submitted.
    let pending = null;

    function options() {
      return Array.from(listbox.querySelectorAll('[role="option"]'));
    }

    function isOpen() {
      return input.getAttribute("aria-expanded") === "true";
    }

    function open() {
      if (options().length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function setActive(option) {
      if (active) {
        active.setAttribute("aria-selected", "false");
      }
      active = option;
      if (option) {
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      setActive(null);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function announce(text) {
      // Rewriting the same sentence is not announced again: clear it first.
      if (status.textContent === text) {
        status.textContent = "";
      }
      window.setTimeout(function () { status.textContent = text; }, 50);
    }

    function sendLog(query, slug) {
      if (!logUrl || !navigator.sendBeacon) {
        return;
      }
      const data = new FormData();
      data.append("q", query);
      if (slug) {
        data.append("demarche", slug);
      }
      data.append("csrfmiddlewaretoken", csrfToken);
      navigator.sendBeacon(logUrl, data);
    }

    function flushPending() {
      if (pending && pending.settled) {
        sendLog(pending.query, "");
      }
      pending = null;
    }

    function show(query, html) {
      const template = document.createElement("template");
      template.innerHTML = html.trim();
      const root = template.content.firstElementChild;
      setActive(null);
      listbox.replaceChildren();
      if (!root) {
        close();
        return;
      }
      listbox.append(...root.childNodes);
      options().forEach(function (option, index) {
        option.id = listbox.id + "-option-" + index;
        option.setAttribute("aria-selected", "false");
      });
      shownQuery = query;
      if (pending && !normalise(query).startsWith(normalise(pending.query))) {
        // The person rewrote their search rather than finishing it: keep the earlier one.
        flushPending();
      }
      pending = { query: query, settled: false };
      const shown = pending;
      window.setTimeout(function () { shown.settled = true; }, SETTLE_MS);
      announce(root.dataset.status || "");
      if (options().length) {
        open();
        if (wantFirst) {
          setActive(options()[0]);
        }
      } else {
        close();
      }
      wantFirst = false;
    }

    function search() {
      const query = input.value.trim();
      if (controller) {
        controller.abort();
      }
      if (query.length < MIN_LENGTH) {
        wantFirst = false;
        shownQuery = "";
        listbox.replaceChildren();
        close();
        return;
      }
      if (query === shownQuery) {
        open();
        return;
      }
      controller = new AbortController();
      const url = source + (source.includes("?") ? "&" : "?") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "text/html" }, signal: controller.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.statusText);
          }
          return response.text();
        })
        .then(function (html) {
          if (input.value.trim() === query) {
            show(query, html);
          }
        })
        .catch(function () {
          // Aborted by a newer query, or offline: the form still works by submitting it.
        });
    }

    function choose(option, newTab) {
      if (option.dataset.query !== undefined) {
        input.value = option.dataset.query;
        input.focus();
        search();
        return;
      }
      const href = option.dataset.href;
      if (!href) {
        return;
      }
      if (pending) {
        if (option.dataset.slug) {
          sendLog(pending.query, option.dataset.slug);
        }
        // Other choices are a person's file, an article or the results page (logged there).
        pending = null;
      }
      if (newTab) {
        window.open(href, "_blank", "noopener");
      } else {
        close();
        window.location.assign(href);
      }
    }

    function move(step) {
      const all = options();
      if (!all.length) {
        return;
      }
      open();
      let index = active ? all.indexOf(active) + step : step > 0 ? 0 : all.length - 1;
      if (index < 0) {
        index = all.length - 1;
      } else if (index >= all.length) {
        index = 0;
      }
      setActive(all[index]);
    }

    input.addEventListener("input", function () {
      setActive(null);
      wantFirst = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault();
        search();
        open();
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (input.value.trim() !== shownQuery) {
            wantFirst = true;
            window.clearTimeout(timer);
            search();
          } else {
            move(1);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          move(-1);
          break;
        case "Home":
        case "End":
          // With an option active, Home and End go to the first and last option; otherwise
          // they move the cursor in the text, as in any text field.
          if (active && isOpen()) {
            event.preventDefault();
            const all = options();
            setActive(event.key === "Home" ? all[0] : all[all.length - 1]);
          }
          break;
        case "Enter":
          if (active && isOpen()) {
            event.preventDefault();
            choose(active, false);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            shownQuery = "";
            listbox.replaceChildren();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() === shownQuery && shownQuery) {
        open();
      }
    });

    // Keep the focus in the text field while the mouse picks an option.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });

    listbox.addEventListener("click", function (event) {
      const option = event.target.closest('[role="option"]');
      if (option && listbox.contains(option)) {
        choose(option, event.ctrlKey || event.metaKey || event.shiftKey);
      }
    });

    listbox.addEventListener("auxclick", function (event) {
      const option = event.target.closest('[role="option"]');
      if (event.button === 1 && option && listbox.contains(option)) {
        choose(option, true);
      }
    });

    form.addEventListener("submit", function () {
      // The results page keeps the search in the log itself.
      pending = null;
      close();
    });

    window.addEventListener("pagehide", flushPending);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        flushPending();
      }
    });
  }

  function init() {
    document.querySelectorAll("input[data-combobox-source]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
