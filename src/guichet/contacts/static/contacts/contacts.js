// Progressive enhancement only: the contact form works without JavaScript.
document.addEventListener("keydown", function (event) {
  // Ctrl+Enter (Cmd+Enter) in the summary saves the contact without leaving the keyboard.
  const field = event.target;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
      field.matches && field.matches("[data-submit-on-ctrl-enter]") && field.form) {
    event.preventDefault();
    field.form.requestSubmit();
  }
});
