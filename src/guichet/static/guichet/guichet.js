// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("keydown", function (event) {
  // "/" focuses the console search box, as in most agent tools.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.getElementById("console-search");
    if (box) { event.preventDefault(); box.focus(); }
  }
});
