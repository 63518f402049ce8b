// The translators' workspace: "Use this" puts a translation memory match into its field.
// Without JavaScript the match stays on the page to copy by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.use-memory");
  if (!button) return;
  const field = document.getElementById(button.dataset.target);
  if (!field) return;
  field.value = button.dataset.text;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
  button.textContent = "Used";
});
