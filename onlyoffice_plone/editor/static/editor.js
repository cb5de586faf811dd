// Starts ONLYOFFICE Docs' editor on @@onlyoffice-edit and @@onlyoffice-view.
// The config comes from the page (signed by Plone); this module only loads Docs' api.js,
// sizes the editor to the window and turns failures into a visible message. The document
// events (history, restore, rename, save as, refresh, close) are in editor-events.js, the
// people (mentions, protected ranges, avatars, sharing) in editor-people.js, the links
// between spreadsheets in editor-references.js, the requests for site content (images,
// compare, mail merge) in editor-content.js with the content picker of picker.js.

import { documentEvents } from "./editor-events.js";
import { peopleEvents } from "./editor-people.js";
import { referenceEvents } from "./editor-references.js";
import { contentEvents } from "./editor-content.js";
import "./picker.js";

const LOAD_TIMEOUT_MS = 20000;

const frame = document.getElementById("onlyoffice-editor-frame");
const message = document.getElementById("onlyoffice-message");
const texts = document.getElementById("onlyoffice-texts");
const notice = document.getElementById("onlyoffice-info");

function text(name) {
  const node = texts && texts.content.querySelector(`[data-text="${name}"]`);
  return node ? node.textContent.trim() : name;
}

function link(href, label, className) {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.textContent = label;
  if (className) anchor.className = className;
  return anchor;
}

// A failure: what went wrong, then the way back to the document's page (the editor is gone,
// and Plone's toolbar offers nothing else on this page).
function showMessage(parts) {
  const back = frame.dataset.viewUrl;
  const way = back ? [" ", link(back, text("back"), "onlyoffice-back")] : [];
  message.replaceChildren(...parts, ...way);
  message.hidden = false;
  frame.classList.add("onlyoffice-failed");
}

// Managers are taken to the setting; everyone else is told what they can do.
function unreachable() {
  const parts = [`${text("unreachable")} ${frame.dataset.docsUrl}. `];
  const controlpanel = frame.dataset.controlpanelUrl;
  parts.push(controlpanel ? link(controlpanel, text("controlpanel")) : text("later"));
  showMessage(parts);
}

// A notice beside the editor (e.g. where a saved copy is), not a failure.
function say(parts) {
  notice.replaceChildren(...parts);
  notice.hidden = false;
}

// Fill the window below whatever is above the editor (Plone's header, toolbar).
function fit() {
  const top = frame.getBoundingClientRect().top + window.scrollY;
  frame.style.height = `${Math.max(window.innerHeight - top, 320)}px`;
}

function loadApi(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    const timer = setTimeout(() => reject(new Error("timeout")), LOAD_TIMEOUT_MS);
    script.onload = () => {
      clearTimeout(timer);
      resolve();
    };
    script.onerror = () => {
      clearTimeout(timer);
      reject(new Error("api.js failed to load"));
    };
    document.head.appendChild(script);
  });
}

function start() {
  const config = JSON.parse(document.getElementById("onlyoffice-config").textContent);
  config.width = "100%";
  config.height = "100%";
  config.events = {
    ...documentEvents(frame, () => window.onlyofficeEditor, say, text),
    ...peopleEvents(frame, () => window.onlyofficeEditor, say, text),
    ...referenceEvents(frame, config, () => window.onlyofficeEditor, say, text),
    ...contentEvents(frame, () => window.onlyofficeEditor, say, text),
    onAppReady() {
      frame.dataset.state = "ready";
    },
    onDocumentReady() {
      frame.dataset.state = "document-ready";
    },
    onError(event) {
      const data = (event && event.data) || {};
      showMessage([`${text("error")} ${data.errorDescription || data.errorCode || ""}`]);
    },
  };
  window.onlyofficeEditor = new window.DocsAPI.DocEditor("onlyoffice-editor", config);
}

if (frame) {
  fit();
  window.addEventListener("resize", fit);
  loadApi(frame.dataset.apiUrl)
    .then(() => {
      if (typeof window.DocsAPI === "undefined") {
        throw new Error("DocsAPI is not defined");
      }
      start();
    })
    .catch(unreachable);
}
