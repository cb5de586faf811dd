// The item page's "Remove the ONLYOFFICE lock" button disconnects everyone editing the
// document: the browser asks first, with the question the button carries (translated).
for (const form of document.querySelectorAll("form.onlyoffice-unlock")) {
  form.addEventListener("submit", (event) => {
    const button = form.querySelector("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
}
