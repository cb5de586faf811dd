// Links between spreadsheets, answered through the add-on's REST services on the item:
// onRequestReferenceData (setReferenceData: the linked file's current data), onRequestOpen
// (the source's editor page, in the tab Docs opened under windowName) and
// onRequestReferenceSource (another source, chosen with the site's content picker, answered
// by setReferenceSource). Plone finds the source and signs the answer; the user gets it only
// when they may view the source, else the editor shows Plone's "not found" message.

import { post } from "./editor-events.js";

// The content picker of the page, when it has one: open({kind, multiple, title}) resolves to
// [{uid, title, path, url}] or null.
function contentPicker() {
  const picker = window.onlyofficePicker;
  return picker && typeof picker.open === "function" ? picker : null;
}

export function referenceEvents(frame, config, editor, say, text) {
  if (!config || config.documentType !== "cell") {
    return {};
  }
  const itemUrl = frame.dataset.itemUrl;
  const own = (config.document && config.document.referenceData) || {};
  const lookup = (data) => post(itemUrl, "@onlyoffice-reference-data", data || {});
  const events = {
    onRequestReferenceData(event) {
      lookup(event.data)
        .then((answer) => editor().setReferenceData(answer))
        .catch((e) => editor().setReferenceData({ error: e.message }));
    },
    onRequestOpen(event) {
      const data = event.data || {};
      const windowName = data.windowName || "_blank";
      post(itemUrl, "@onlyoffice-reference-open", {
        referenceData: data.referenceData,
        path: data.path,
      })
        .then((target) => {
          window.open(target.url, windowName);
        })
        .catch((e) => {
          // Docs opened an empty tab under windowName for the source: close it, say why here.
          if (data.windowName) {
            const tab = window.open("", data.windowName);
            if (tab) {
              tab.close();
            }
          }
          say([`${text("failed")} ${e.message}`]);
        });
    },
  };
  if (contentPicker()) {
    events.onRequestReferenceSource = () => {
      const picker = contentPicker();
      if (!picker) {
        editor().setReferenceSource({ error: text("no-picker") });
        return;
      }
      picker
        .open({ kind: "spreadsheet", multiple: false, title: text("reference-source") })
        .then((chosen) => {
          const item = chosen && chosen[0];
          if (!item) {
            return null; // cancelled: the link keeps its source
          }
          const referenceData = { fileKey: item.uid, instanceId: own.instanceId };
          return lookup({ referenceData, path: item.path }).then((answer) =>
            editor().setReferenceSource(answer),
          );
        })
        .catch((e) => editor().setReferenceSource({ error: e.message }));
    };
  }
  return events;
}
