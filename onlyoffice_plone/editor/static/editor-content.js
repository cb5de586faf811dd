// The editor's requests for content of the site, answered with the content picker
// (picker.js) and the add-on's REST services on the item: "Image from storage"
// (onRequestInsertImage → insertImage), compare, combine and insert text
// (onRequestSelectDocument → setRequestedDocument) and mail merge (onRequestSelectSpreadsheet
// → setRequestedSpreadsheet). Plone signs each answer and scopes each URL in it to the picked
// item and this user. Docs shows these features only when their events are declared, so they
// are declared only in an editing session.

function answer(itemUrl, service, command, uids) {
  const params = new URLSearchParams({ c: command });
  for (const uid of uids) {
    params.append("uid", uid);
  }
  return fetch(`${itemUrl}/${service}?${params}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  }).then(async (response) => {
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (body && body.error) || {};
      throw new Error(error.message || `HTTP ${response.status}`);
    }
    return body;
  });
}

const DOCUMENT_TITLES = {
  compare: "pick-compare",
  combine: "pick-combine",
  "insert-text": "pick-insert-text",
};

export function contentEvents(frame, editor, say, text) {
  const itemUrl = frame.dataset.itemUrl;
  if (frame.dataset.canPick !== "true" || !window.onlyofficePicker) {
    return {};
  }
  const failed = (e) => say([`${text("failed")} ${e.message}`]);
  // Pick, then fetch the signed answer and hand it to the editor; a cancel hands nothing.
  const request = (kind, multiple, title, service, command, method) =>
    window.onlyofficePicker
      .open({ kind, multiple, title })
      .then((items) => {
        if (!items || !items.length) {
          return null;
        }
        return answer(
          itemUrl,
          service,
          command,
          items.map((item) => item.uid),
        ).then((reply) => editor()[method](reply));
      })
      .catch(failed);
  return {
    onRequestInsertImage(event) {
      const command = (event && event.data && event.data.c) || "add";
      // Several images only for "add"; a fill, watermark, slide background or replaced
      // picture takes one.
      const multiple = command === "add";
      request("image", multiple, text("pick-image"), "@onlyoffice-insert-image", command, "insertImage");
    },
    onRequestSelectDocument(event) {
      const command = (event && event.data && event.data.c) || "compare";
      const title = text(DOCUMENT_TITLES[command] || "pick-compare");
      request("document", false, title, "@onlyoffice-requested-document", command, "setRequestedDocument");
    },
    onRequestSelectSpreadsheet(event) {
      const command = (event && event.data && event.data.c) || "mailmerge";
      request(
        "spreadsheet",
        false,
        text("pick-mailmerge"),
        "@onlyoffice-requested-spreadsheet",
        command,
        "setRequestedSpreadsheet",
      );
    },
  };
}
