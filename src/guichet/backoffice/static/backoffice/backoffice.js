// Progressive enhancement only: the console works without JavaScript.
document.addEventListener("keydown", function (event) {
  // Down arrow in the console search box jumps to the first result.
  if (event.key === "ArrowDown" && event.target.id === "console-search") {
    const first = document.querySelector("#console-results a");
    if (first) { event.preventDefault(); first.focus(); }
  }
});
