// The new-document form: the title's placeholder is the default title of the kind of
// document the form will make (the chosen kind, or the chosen template's), which is the
// title the document gets when the field is left empty (creation/views.py).
const form = document.getElementById("onlyoffice-create-form");
if (form) {
  const title = form.querySelector("#onlyoffice-create-title");
  const template = form.querySelector("#onlyoffice-create-template");
  const radio = (kind) =>
    [...form.querySelectorAll('input[name="kind"]')].find((input) =>
      kind ? input.value === kind : input.checked,
    );
  const update = () => {
    const chosen = template && template.selectedOptions[0];
    const made = radio(chosen && chosen.value ? chosen.dataset.kind : null);
    if (made && made.dataset.defaultTitle) {
      title.placeholder = made.dataset.defaultTitle;
    }
  };
  form.addEventListener("change", update);
  update();
}
