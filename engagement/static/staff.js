// Optional enhancement for staff pages: Ctrl+Enter (or Cmd+Enter) in a text box submits its
// form, so comment cards can be typed one after another without leaving the keyboard row.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  var target = event.target;
  if (!target || target.tagName !== "TEXTAREA" || !target.form) return;
  event.preventDefault();
  if (target.form.requestSubmit) target.form.requestSubmit();
  else target.form.submit();
});
