/* ONLYOFFICE Docs test double: api.js of the stand-in editor (not ONLYOFFICE's code).
 *
 * new DocsAPI.DocEditor(placeholderId, config) checks the config as Docs' api.js does (an alert
 * and no editor when a required parameter is missing), replaces the placeholder with an iframe
 * of the double's editor page, and passes events and method calls across with postMessage.
 */
(function (window, document) {
  "use strict";

  var VERSION = "{{VERSION}}";
  var API_PATH = /\/web-apps\/apps\/api\/documents\/api\.js.*$/;

  function scriptBase() {
    var src = document.currentScript && document.currentScript.src;
    if (!src) {
      var scripts = document.getElementsByTagName("script");
      for (var i = scripts.length - 1; i >= 0; i--) {
        if (API_PATH.test(scripts[i].src)) { src = scripts[i].src; break; }
      }
    }
    return (src || "").replace(API_PATH, "");
  }

  var BASE = scriptBase();
  var ORIGIN = BASE ? new URL(BASE).origin : "";
  var DOCUMENT_TYPES = { text: "docx", spreadsheet: "xlsx", presentation: "pptx",
    word: "docx", cell: "xlsx", slide: "pptx", pdf: "pdf" };
  var FILE_TYPES = new RegExp("^(?:(xls|xlsx|ods|csv|xlst|xlsy|gsheet|xlsm|xlt|xltm|xltx|fods|ots|xlsb)|" +
    "(pps|ppsx|ppt|pptx|odp|pptt|ppty|gslides|pot|potm|potx|ppsm|pptm|fodp|otp)|" +
    "(doc|docx|doct|odt|gdoc|txt|rtf|mht|htm|html|epub|docm|dot|dotm|dotx|fodt|ott|fb2|docxf|oform)|" +
    "(pdf|djvu|xps|oxps))$");

  // The checks Docs' api.js makes before it creates the editor; a message means "refuse".
  function checkConfig(config) {
    var doc = config.document;
    if (!doc || !doc.url || ((typeof doc.fileType !== "string" || doc.fileType === "") &&
        (typeof config.documentType !== "string" || config.documentType === ""))) {
      return "One or more required parameter for the config object is not set";
    }
    if (typeof config.documentType === "string" && config.documentType !== "") {
      var app = DOCUMENT_TYPES[config.documentType.toLowerCase()];
      if (!app) {
        return "The \"documentType\" parameter for the config object is invalid. Please correct it.";
      }
      if (typeof doc.fileType !== "string" || doc.fileType === "") { doc.fileType = app; }
    }
    doc.fileType = String(doc.fileType).toLowerCase();
    var type = FILE_TYPES.exec(doc.fileType);
    if (!type) {
      return "The \"document.fileType\" parameter for the config object is invalid. Please correct it.";
    }
    if (typeof config.documentType !== "string" || config.documentType === "") {
      config.documentType = type[1] ? "cell" : type[2] ? "slide" : type[3] ? "word" : "pdf";
    }
    if (!doc.title) { doc.title = "Unnamed." + doc.fileType; }
    if (doc.key !== undefined && doc.key !== null && doc.key !== "" && typeof doc.key !== "string") {
      return "The \"document.key\" parameter for the config object must be string. Please correct it.";
    }
    return null;
  }

  function DocEditor(placeholderId, config) {
    config = config || {};
    config.editorConfig = config.editorConfig || {};
    var events = config.events || {};
    var self = this;
    var iframe = null;
    var session = null;

    function fire(name, data) {
      var handler = events[name];
      if (typeof handler === "function") {
        handler.call(self, { target: self, data: data });
      }
    }

    function send(command, data) {
      if (iframe && iframe.contentWindow) {
        iframe.contentWindow.postMessage(JSON.stringify({ command: command, data: data }), ORIGIN);
      }
    }

    function onMessage(event) {
      if (!iframe || event.source !== iframe.contentWindow || event.origin !== ORIGIN) { return; }
      var msg;
      try { msg = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch (e) { return; }
      if (!msg || msg.frameEditorId !== placeholderId) { return; }
      if (msg.event === "onInternalReady") {
        var declared = Object.keys(events).filter(function (n) { return typeof events[n] === "function"; });
        var plain = JSON.parse(JSON.stringify(config, function (k, v) { return k === "events" ? undefined : v; }));
        send("init", { config: plain, declaredEvents: declared });
      } else if (msg.event === "onInternalSession") {
        session = msg.data;
      } else {
        fire(msg.event, msg.data);
      }
    }

    var target = document.getElementById(placeholderId);
    if (target) {
      var problem = checkConfig(config);
      if (problem) {
        DocEditor.lastAlert = problem;
        window.alert(problem);
      } else {
        iframe = document.createElement("iframe");
        iframe.name = "frameEditor";
        iframe.title = "ONLYOFFICE Docs test double";
        iframe.setAttribute("data-docs-double", "editor");
        iframe.setAttribute("allowfullscreen", "");
        iframe.setAttribute("allow", "autoplay; clipboard-write;");
        iframe.width = config.width || "100%";
        iframe.height = config.height || "100%";
        iframe.style.border = "0";
        iframe.src = BASE + "/double/editor?frameEditorId=" + encodeURIComponent(placeholderId) +
          "&parentOrigin=" + encodeURIComponent(window.location.origin);
        window.addEventListener("message", onMessage);
        target.parentNode.replaceChild(iframe, target);
      }
    }

    function command(name) {
      return function (data) { send(name, data === undefined ? null : data); };
    }

    this.refreshHistory = command("refreshHistory");
    this.setHistoryData = command("setHistoryData");
    this.insertImage = command("insertImage");
    this.setRequestedDocument = command("setRequestedDocument");
    this.setRequestedSpreadsheet = command("setRequestedSpreadsheet");
    this.setReferenceData = command("setReferenceData");
    this.setReferenceSource = command("setReferenceSource");
    this.setUsers = command("setUsers");
    this.setSharingSettings = command("setSharingSettings");
    this.setActionLink = command("setActionLink");
    this.setFavorite = command("setFavorite");
    this.setEmailAddresses = command("setEmailAddresses");
    this.setMailMergeRecipients = command("setMailMergeRecipients");
    this.setRevisedFile = command("setRevisedFile");
    this.refreshFile = command("refreshFile");
    this.downloadAs = command("downloadAs");
    this.requestClose = command("requestClose");
    this.showMessage = function (title, msg) { send("showMessage", { msg: msg || title }); };
    this.denyEditingRights = function (message) { send("denyEditingRights", { message: message }); };
    this.processSaveResult = function (result, message) { send("processSaveResult", { result: result, message: message }); };
    this.processRightsChange = function (enabled, message) { send("processRightsChange", { enabled: enabled, message: message }); };
    this.destroyEditor = function () {
      // Closing the frame ends this editor's connection, as closing Docs' websocket does.
      if (session && navigator.sendBeacon) {
        navigator.sendBeacon(BASE + "/double/session/" + encodeURIComponent(session.key) + "/close",
          JSON.stringify({ connection: session.connection }));
        session = null;
      }
      window.removeEventListener("message", onMessage);
      if (iframe && iframe.parentNode) {
        var div = document.createElement("div");
        div.id = placeholderId;
        iframe.parentNode.replaceChild(div, iframe);
      }
      iframe = null;
    };
  }

  DocEditor.defaultConfig = { type: "desktop", width: "100%", height: "100%",
    editorConfig: { lang: "en", canCoAuthoring: true, customization: { about: true, feedback: false } } };
  DocEditor.version = function () { return VERSION; };
  DocEditor.isTestDouble = true;
  DocEditor.lastAlert = null;

  window.DocsAPI = window.DocsAPI || {};
  window.DocsAPI.DocEditor = DocEditor;
})(window, document);
