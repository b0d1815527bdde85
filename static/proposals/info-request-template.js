// A request-for-information template picked from a list fills the message box it names (data-fills), where staff
// edit it before sending. Without script, the "Use this template" button reloads the form with the text in it.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.dataset.fills) return;
  const option = select.selectedOptions[0];
  const box = document.getElementById(select.dataset.fills);
  if (!box) return;
  const body = option && option.dataset.body;
  if (body !== undefined) {
    if (box.value.trim() && !window.confirm(select.dataset.replace || "Replace the message with this template?")) return;
    box.value = body;
  }
  box.focus();
});
