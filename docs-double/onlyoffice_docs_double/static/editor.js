/* ONLYOFFICE Docs test double: the stand-in editor inside the iframe (not ONLYOFFICE's code).
 * It receives the config from api.js, opens the session on the double, shows the document and
 * its editors, and turns buttons into edits, force saves, closes and the page's onRequest events.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var frameEditorId = params.get("frameEditorId") || "";
  var parentOrigin = params.get("parentOrigin") || "*";
  var config = null;
  var declared = [];
  var session = null; // {key, connection}
  var revision = 0;
  var noticesSeen = 0;
  var closed = false;

  function $(id) { return document.getElementById(id); }

  function fire(event, data) {
    window.parent.postMessage(JSON.stringify({ frameEditorId: frameEditorId, event: event, data: data }), parentOrigin);
  }

  function log(text) {
    var line = document.createElement("div");
    line.textContent = new Date().toISOString().slice(11, 19) + " " + text;
    $("dd-log").prepend(line);
  }

  function setStatus(status) {
    $("dd-status").textContent = status;
    document.body.setAttribute("data-state", status);
  }

  async function post(path, body) {
    var response = await fetch(path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {})
    });
    if (!response.ok) { throw new Error("HTTP " + response.status + " from " + path); }
    return response.json();
  }

  function sessionPath(action) {
    return "/double/session/" + encodeURIComponent(session.key) + "/" + action;
  }

  function render(state) {
    revision = state.revision;
    document.body.setAttribute("data-revision", String(revision));
    $("dd-title").textContent = state.title;
    $("dd-changes").textContent = String(state.changes);
    var list = $("dd-users");
    list.textContent = "";
    state.connections.forEach(function (c) {
      var item = document.createElement("li");
      item.textContent = c.name + " (" + c.userId + ")" + (c.editing ? "" : " viewing") + (c.id === state.you ? " — you" : "");
      item.setAttribute("data-user-id", c.userId);
      list.appendChild(item);
    });
    renderLinks(state.links || []);
    if ($("dd-paste-link")) { $("dd-paste-link").hidden = !state.pasteLink; }
    for (; noticesSeen < state.notices.length; noticesSeen++) {
      var notice = state.notices[noticesSeen];
      if (notice.type === "meta") { fire("onMetaChange", notice.meta); log("meta changed: " + JSON.stringify(notice.meta)); }
    }
    if (state.dropped && !closed) {
      closed = true;
      setStatus("dropped");
      $("dd-message").textContent = "The document server dropped this connection.";
      setButtons(false);
      fire("onWarning", { warningCode: -1, warningDescription: "connection dropped by the document server" });
    }
  }

  async function poll() {
    while (session && !closed) {
      try {
        var response = await fetch(sessionPath("state") + "?since=" + revision + "&connection=" + encodeURIComponent(session.connection));
        var state = await response.json();
        if (state.gone) { return; }
        render(state);
      } catch (e) {
        await new Promise(function (resolve) { setTimeout(resolve, 1000); });
      }
    }
  }

  function setButtons(enabled, editing) {
    $("dd-edit").disabled = !(enabled && editing);
    $("dd-forcesave").disabled = !(enabled && editing);
    $("dd-close").disabled = !enabled;
    Array.prototype.forEach.call($("dd-requests").querySelectorAll("button"), function (b) { b.disabled = !enabled; });
  }

  async function saveAsUrl() {
    var reply = await post(sessionPath("saveas"), { connection: session.connection });
    return reply.url;
  }

  var REQUESTS = [
    ["onRequestHistory", "History", function () { return undefined; }],
    ["onRequestInsertImage", "Insert image", function () { return { c: "add" }; }],
    ["onRequestSelectDocument", "Compare", function () { return { c: "compare" }; }],
    ["onRequestSelectDocument", "Combine", function () { return { c: "combine" }; }, "combine"],
    ["onRequestSelectDocument", "Insert text", function () { return { c: "insert-text" }; }, "insert-text"],
    ["onRequestSelectSpreadsheet", "Mail merge", function () { return { c: "mailmerge" }; }],
    ["onRequestRename", "Rename", function () { return "Renamed " + config.document.title; }],
    ["onRequestSaveAs", "Save copy as", async function () {
      return { fileType: config.document.fileType, title: "Copy of " + config.document.title, url: await saveAsUrl() };
    }],
    ["onRequestCreateNew", "Create new", function () { return undefined; }],
    ["onRequestEditRights", "Edit rights", function () { return undefined; }],
    ["onRequestRefreshFile", "Refresh file", function () { return undefined; }],
    ["onRequestClose", "Close editor (onRequestClose)", function () { return undefined; }]
  ];

  function renderRequestButtons() {
    var box = $("dd-requests");
    REQUESTS.forEach(function (entry) {
      if (declared.indexOf(entry[0]) < 0) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.id = "dd-" + entry[0] + (entry[3] ? "-" + entry[3] : "");
      button.textContent = entry[1];
      button.addEventListener("click", async function () {
        var data = await entry[2]();
        log("event " + entry[0]);
        fire(entry[0], data);
      });
      box.appendChild(button);
    });
  }

  async function callMethod(name, data, link) {
    if (!session) { return; }
    var reply = await post(sessionPath("method"), { connection: session.connection, name: name, data: data, link: link });
    log("method " + name + (reply.ok ? " ok" : " failed: " + (reply.detail || JSON.stringify(reply.fetched))));
    if (!reply.ok && reply.errorCode) {
      fire("onError", { errorCode: reply.errorCode, errorDescription: reply.errorDescription });
    }
    return reply;
  }

  // External links (links between spreadsheets), as Docs' spreadsheet editor offers them:
  // "Copy cell" puts the config's referenceData on the user's clipboard (kept by the double
  // per user id); "Paste link" needs onRequestReferenceData and a clipboard from the same
  // instanceId (the double says so in the state's pasteLink); "Update values" asks the page
  // for each link in turn, waiting for setReferenceData; "Open source" (onRequestOpen) opens
  // an empty tab named windowName first, as Docs does; "Change source" needs
  // onRequestReferenceSource. Only an editing session requests or applies link data.
  var currentLinks = [];
  var linkQueue = [];
  var pendingLink = null;
  var changingLink = null;
  var linkEditing = false;

  function isSpreadsheet(cfg) {
    return (cfg.documentType || "").toLowerCase() === "cell";
  }

  function linkButton(id, text, action) {
    var button = historyButton(id, text, action);
    $("dd-links-actions").appendChild(button);
    return button;
  }

  function setupLinks(cfg, editing) {
    if (!isSpreadsheet(cfg)) { return; }
    linkEditing = editing;
    $("dd-links-panel").hidden = false;
    linkButton("dd-copy-cell", "Copy cell A1", async function () {
      await post(sessionPath("copy"), { connection: session.connection });
      log("copied Sheet1!A1" + (cfg.document.referenceData ? " with reference data" : ""));
    });
    if (!editing || declared.indexOf("onRequestReferenceData") < 0) { return; }
    var paste = linkButton("dd-paste-link", "Paste link", async function () {
      var reply = await post(sessionPath("link"), { connection: session.connection, paste: true });
      log(reply.ok ? "pasted link " + reply.link.formula : "paste link refused: " + reply.error);
    });
    paste.hidden = true;
    var formula = document.createElement("input");
    formula.id = "dd-formula";
    formula.setAttribute("aria-label", "File of a typed formula ='[path]Sheet1'!A1");
    $("dd-links-actions").appendChild(formula);
    linkButton("dd-insert-formula", "Insert formula", async function () {
      var reply = await post(sessionPath("link"), { connection: session.connection, path: formula.value });
      log(reply.ok ? "typed link " + reply.link.formula : "formula refused: " + reply.error);
    });
    linkButton("dd-update-links", "Update values", function () {
      linkQueue = currentLinks.map(function (link) { return link.id; });
      nextLinkRequest();
    });
  }

  function nextLinkRequest() {
    pendingLink = linkQueue.length ? linkQueue.shift() : null;
    var link = currentLinks.filter(function (l) { return l.id === pendingLink; })[0];
    if (link) {
      log("event onRequestReferenceData for link " + link.id);
      fire("onRequestReferenceData", link.requestData);
    }
  }

  async function answerLinkRequest(data) {
    if (pendingLink === null) { return callMethod("setReferenceData", data); }
    var reply = await callMethod("setReferenceData", data, pendingLink);
    nextLinkRequest();
    return reply;
  }

  function renderLinks(links) {
    currentLinks = links;
    var list = $("dd-links");
    list.textContent = "";
    links.forEach(function (link) {
      var row = document.createElement("li");
      row.setAttribute("data-link-id", link.id);
      row.setAttribute("data-status", link.status);
      row.setAttribute("data-path", link.path || "");
      var label = document.createElement("span");
      label.className = "dd-link-label";
      label.textContent = link.formula + " — " + link.status;
      row.appendChild(label);
      var where = { referenceData: link.referenceData || undefined, path: link.path || "" };
      if (declared.indexOf("onRequestOpen") >= 0) {
        row.appendChild(historyButton("dd-open-source-" + link.id, "Open source", function () {
          var windowName = "wname-" + Date.now();
          window.open("", windowName);
          fire("onRequestOpen", Object.assign({}, where, { windowName: windowName }));
        }));
      }
      if (linkEditing && declared.indexOf("onRequestReferenceSource") >= 0) {
        row.appendChild(historyButton("dd-change-source-" + link.id, "Change source", function () {
          changingLink = link.id;
          fire("onRequestReferenceSource", where);
        }));
      }
      list.appendChild(row);
    });
  }

  // The version history panel, as Docs draws it from refreshHistory: one row per version,
  // the current one opened at once (onRequestHistoryData), Restore on the others when the
  // page declared onRequestRestore, Close history when it declared onRequestHistoryClose.
  function renderHistory(data) {
    var panel = $("dd-history");
    panel.textContent = "";
    panel.hidden = false;
    if (!data || data.error || !Array.isArray(data.history)) {
      $("dd-history-error").textContent = (data && data.error) || "No history";
      return;
    }
    $("dd-history-error").textContent = "";
    data.history.forEach(function (entry) {
      var row = document.createElement("li");
      row.setAttribute("data-version", String(entry.version));
      row.setAttribute("data-key", String(entry.key));
      var user = entry.user ? entry.user.name || entry.user.id : "";
      var changes = Array.isArray(entry.changes) ? entry.changes.length : 0;
      var label = document.createElement("span");
      label.className = "dd-history-label";
      label.textContent = "Version " + entry.version + " — " + (user || "?") + " — " + (entry.created || "") +
        (changes ? " — " + changes + " change(s)" : "") + (entry.version === data.currentVersion ? " (current)" : "");
      row.appendChild(label);
      if (declared.indexOf("onRequestHistoryData") >= 0) {
        row.appendChild(historyButton("dd-history-open-" + entry.version, "Open", function () {
          fire("onRequestHistoryData", entry.version);
        }));
      }
      if (declared.indexOf("onRequestRestore") >= 0 && entry.version !== data.currentVersion) {
        row.appendChild(historyButton("dd-history-restore-" + entry.version, "Restore", function () {
          fire("onRequestRestore", { version: entry.version });
        }));
      }
      panel.appendChild(row);
    });
    if (declared.indexOf("onRequestHistoryClose") >= 0) {
      var close = historyButton("dd-history-close", "Close history", function () { fire("onRequestHistoryClose"); });
      panel.appendChild(close);
    }
    if (declared.indexOf("onRequestHistoryData") >= 0) { fire("onRequestHistoryData", data.currentVersion); }
  }

  function historyButton(id, text, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.id = id;
    button.textContent = text;
    button.addEventListener("click", action);
    return button;
  }

  async function showHistoryData(data) {
    var reply = await callMethod("setHistoryData", data);
    var view = $("dd-history-view");
    if (data && data.error) {
      view.textContent = "Error: " + data.error;
      view.setAttribute("data-state", "error");
      return;
    }
    if (!reply || !reply.ok) {
      view.textContent = "This version could not be opened";
      view.setAttribute("data-state", "failed");
      return;
    }
    var shown = reply.shown || {};
    var bytes = reply.fetched.length ? reply.fetched[0].bytes : 0;
    view.textContent = "Viewing version " + shown.version + " (" + bytes + " bytes, read-only)" +
      (shown.diff ? " with its changes highlighted" : "");
    view.setAttribute("data-state", shown.diff ? "diff" : "plain");
    view.setAttribute("data-version", String(shown.version));
    view.setAttribute("data-key", String(shown.key));
  }

  // What the editor did with an answer to a request for content: the files Docs fetched
  // (count, bytes) on #dd-requested, or why it refused the answer.
  var REQUESTED = {
    insertImage: "Inserted image",
    setRequestedDocument: "Opened document",
    setRequestedSpreadsheet: "Read mail merge recipients from"
  };

  async function showRequested(command, data) {
    var reply = await callMethod(command, data);
    var view = $("dd-requested");
    view.setAttribute("data-method", command);
    view.setAttribute("data-c", String((data && data.c) || ""));
    if (!reply || !reply.ok) {
      view.setAttribute("data-state", "failed");
      view.textContent = command + " failed: " + ((reply && (reply.detail || reply.errorDescription)) ||
        JSON.stringify(reply && reply.fetched));
      return;
    }
    var sizes = reply.fetched.map(function (f) { return f.bytes; });
    view.setAttribute("data-state", "ok");
    view.setAttribute("data-count", String(sizes.length));
    view.setAttribute("data-bytes", sizes.join(","));
    view.textContent = REQUESTED[command] + " (" + (data && data.c) + "): " + sizes.length +
      " file(s), " + sizes.join(", ") + " bytes";
  }

  async function onCommand(command, data) {
    switch (command) {
      case "insertImage":
      case "setRequestedDocument":
      case "setRequestedSpreadsheet":
        return showRequested(command, data);
      case "refreshHistory":
        // Recorded before the panel opens the current version (onRequestHistoryData, whose
        // answer is recorded too): the double's record keeps the order of the calls.
        var refreshed = await callMethod(command, data);
        renderHistory(data);
        return refreshed;
      case "setHistoryData":
        return showHistoryData(data);
      case "setReferenceData":
        return answerLinkRequest(data);
      case "setReferenceSource":
        var changed = changingLink;
        changingLink = null;
        return callMethod(command, data, changed);
      case "refreshFile":
        await callMethod(command, data);
        if (data && data.document) {
          config = data;
          $("dd-key").textContent = data.document.key || "";
          $("dd-title").textContent = data.document.title || "";
          document.body.setAttribute("data-refreshed-key", data.document.key || "");
        }
        return;
      case "setUsers":
        // The people panel (people.js) shows them; the double records the call.
        if (window.ddPeople) { window.ddPeople.setUsers(data); }
        return callMethod(command, data);
      case "setSharingSettings":
        if (window.ddPeople) { window.ddPeople.setSharingSettings(data); }
        return callMethod(command, data);
      case "init":
        return open(data.config, data.declaredEvents || []);
      case "showMessage":
        $("dd-message").textContent = data && data.msg;
        return;
      case "denyEditingRights":
      case "processRightsChange":
        $("dd-message").textContent = (data && data.message) || "Editing rights changed";
        return callMethod(command, data);
      case "requestClose":
        log("requestClose");
        fire("onRequestClose");
        return;
      case "downloadAs":
        var url = await saveAsUrl();
        fire("onDownloadAs", { fileType: config.document.fileType, url: url });
        return;
      default:
        return callMethod(command, data);
    }
  }

  async function open(cfg, events) {
    config = cfg;
    declared = events;
    $("dd-title").textContent = (cfg.document && cfg.document.title) || "";
    $("dd-key").textContent = (cfg.document && cfg.document.key) || "";
    var reply;
    try {
      reply = await post("/double/session/open", { config: cfg });
    } catch (e) {
      setStatus("error");
      $("dd-error").textContent = String(e);
      fire("onError", { errorCode: -4, errorDescription: String(e) });
      return;
    }
    if (reply.error) {
      setStatus("error");
      var err = reply.error;
      $("dd-error").textContent = (err.errorCode !== null ? "Error " + err.errorCode + ": " : "") +
        err.errorDescription + (err.detail && err.detail !== err.errorDescription ? "\n(" + err.detail + ")" : "");
      if (err.kind !== "config") { fire("onError", { errorCode: err.errorCode, errorDescription: err.errorDescription }); }
      return;
    }
    session = { key: reply.state.key, connection: reply.connection };
    fire("onInternalSession", session);
    $("dd-key").textContent = reply.state.key;
    $("dd-mode").textContent = reply.mode + (reply.editing ? " (editing)" : " (viewing)");
    $("dd-type").textContent = cfg.type || "desktop";
    document.body.setAttribute("data-editor-type", cfg.type || "desktop");
    document.body.setAttribute("data-key", reply.state.key);
    document.body.setAttribute("data-connection", reply.connection);
    renderRequestButtons();
    if (window.ddPeople) {
      window.ddPeople.open(cfg, events, fire, log, { editing: reply.editing, users: reply.state.connections });
    }
    setupLinks(cfg, reply.editing);
    setButtons(true, reply.editing);
    if (!reply.forcesaveButton) { $("dd-forcesave").title = "needs editorConfig.customization.forcesave"; }
    render(reply.state);
    setStatus("ready");
    fire("onAppReady");
    fire("onDocumentReady");
    poll();
  }

  $("dd-edit").addEventListener("click", async function () {
    fire("onDocumentStateChange", true);
    var reply = await post(sessionPath("edit"), { connection: session.connection });
    log(reply.ok ? "edit: " + reply.text : "edit failed: " + reply.error);
    if (!reply.ok) { $("dd-error").textContent = reply.error; }
    fire("onDocumentStateChange", false);
  });

  $("dd-forcesave").addEventListener("click", async function () {
    var reply = await post(sessionPath("forcesave"), { connection: session.connection });
    log(reply.ok ? (reply.saved ? "force save sent" : "nothing to save") : "force save refused: " + reply.error);
    if (!reply.ok) { $("dd-message").textContent = reply.error; }
  });

  async function leave() {
    if (!session || closed) { return; }
    closed = true;
    await post(sessionPath("close"), { connection: session.connection });
    setStatus("closed");
    setButtons(false);
    log("closed");
  }

  $("dd-close").addEventListener("click", leave);

  window.addEventListener("pagehide", function () {
    if (session && !closed) {
      closed = true;
      navigator.sendBeacon(sessionPath("close"), JSON.stringify({ connection: session.connection }));
    }
  });

  window.addEventListener("message", function (event) {
    if (parentOrigin !== "*" && event.origin !== parentOrigin) { return; }
    var msg;
    try { msg = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch (e) { return; }
    if (msg && msg.command) {
      onCommand(msg.command, msg.data).catch(function (e) { log("command " + msg.command + " failed: " + e); });
    }
  });

  fire("onInternalReady");
})();
