/* ONLYOFFICE Docs test double: the people of the stand-in editor (not ONLYOFFICE's code).
 *
 * As Docs does (events.md, methods.md of the API docs):
 * - comments with mentions: with onRequestUsers declared, "Mention" (or typing "+"/"@") asks
 *   for {c: "mention"} once and keeps a non-empty list (an empty one is asked for again next
 *   time), filtered by what follows the "+"/"@"; a comment naming people fires
 *   onRequestSendNotify {emails, message, actionLink: {action: {type: "comment", data: id}}}
 *   when that event is declared;
 * - avatars: with onRequestUsers declared, {c: "info", id: [user ids]} for the editors shown;
 *   the current user's editorConfig.user.image is loaded by this frame, as Docs does;
 * - protected ranges (spreadsheets, editing): "Protect range" asks for {c: "protect"};
 * - sharing: document.info.sharingSettings is listed; "Sharing" (Change access rights) exists
 *   only with onRequestSharingSettings declared and fires it;
 * - editorConfig.actionLink: the editor opens at that comment or bookmark.
 * setUsers arguments are recorded by the double (method calls) and shown here.
 */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  var fire = null;
  var log = function () {};
  var declared = [];
  var cached = {};
  var mentioned = [];
  var comments = 0;

  function has(name) { return declared.indexOf(name) >= 0; }

  function typed() {
    var text = $("dd-comment").value;
    var match = /[+@]([^\s+@]*)$/.exec(text);
    return match ? match[1].toLowerCase() : null;
  }

  function requestUsers(c, data) {
    log("event onRequestUsers " + c);
    fire("onRequestUsers", data || { c: c });
  }

  function renderMentions() {
    var list = $("dd-mention-list");
    var users = cached.mention || [];
    var filter = typed() || "";
    list.textContent = "";
    users.filter(function (u) {
      return !filter || String(u.name || "").toLowerCase().indexOf(filter) >= 0 ||
        String(u.email || "").toLowerCase().indexOf(filter) >= 0;
    }).forEach(function (u) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dd-mention-user";
      button.setAttribute("data-email", u.email || "");
      button.setAttribute("data-id", u.id || "");
      button.textContent = (u.name || u.id || "") + " <" + (u.email || "") + ">";
      button.addEventListener("click", function () { choose(u); });
      item.appendChild(button);
      list.appendChild(item);
    });
    list.hidden = false;
    list.setAttribute("data-count", String(list.children.length));
  }

  function choose(user) {
    var area = $("dd-comment");
    area.value = area.value.replace(/[+@][^\s+@]*$/, "") + "+" + user.email + " ";
    if (user.email && mentioned.indexOf(user.email) < 0) { mentioned.push(user.email); }
    $("dd-mention-list").hidden = true;
  }

  function mention() {
    if (!has("onRequestUsers")) { return; }
    if (cached.mention && cached.mention.length) { renderMentions(); return; }
    requestUsers("mention");
  }

  function addComment() {
    var text = $("dd-comment").value.trim();
    if (!text) { return; }
    comments += 1;
    var id = "c" + comments;
    var item = document.createElement("li");
    item.id = "dd-comment-" + id;
    item.textContent = text;
    $("dd-comment-list").appendChild(item);
    var emails = mentioned.filter(function (e) { return text.indexOf("+" + e) >= 0; });
    mentioned = [];
    $("dd-comment").value = "";
    if (emails.length && has("onRequestSendNotify")) {
      log("event onRequestSendNotify " + emails.length);
      fire("onRequestSendNotify", {
        emails: emails, message: text, actionLink: { action: { type: "comment", data: id } }
      });
    }
  }

  function renderList(id, users, render) {
    var list = $(id);
    list.textContent = "";
    (users || []).forEach(function (u) { list.appendChild(render(u)); });
    list.hidden = false;
    list.setAttribute("data-count", String(list.children.length));
  }

  function avatar(u) {
    var item = document.createElement("li");
    item.setAttribute("data-id", u.id || "");
    item.textContent = u.name || u.id || "";
    if (u.image) {
      var img = document.createElement("img");
      img.src = u.image;
      img.alt = "";
      img.width = 24;
      img.height = 24;
      item.prepend(img);
      item.setAttribute("data-image", "yes");
    }
    return item;
  }

  function setUsers(data) {
    var c = (data && data.c) || "mention";
    var users = (data && Array.isArray(data.users)) ? data.users : [];
    // An empty list is asked for again next time (events.md, onRequestUsers).
    if (users.length) { cached[c] = users; } else { delete cached[c]; }
    if (c === "mention") { renderMentions(); }
    if (c === "protect") {
      renderList("dd-protect-list", users, function (u) {
        var item = document.createElement("li");
        item.setAttribute("data-id", u.id || "");
        item.textContent = (u.name || "") + " (" + (u.id || "") + ")";
        return item;
      });
    }
    if (c === "info") { renderList("dd-avatars", users, avatar); }
  }

  function renderSharing(settings) {
    renderList("dd-sharing-list", settings || [], function (s) {
      var item = document.createElement("li");
      item.textContent = (s.isLink ? "🔗 " : "") + (s.user || "") + " — " + (s.permissions || "");
      return item;
    });
  }

  function open(config, events, fireEvent, logLine, session) {
    fire = fireEvent;
    log = logLine || log;
    declared = events;
    var editorConfig = config.editorConfig || {};
    var info = (config.document && config.document.info) || {};
    $("dd-people").hidden = false;
    var link = editorConfig.actionLink && editorConfig.actionLink.action;
    if (link) {
      $("dd-action-link").hidden = false;
      $("dd-action-link").textContent = "Opened at " + link.type + " " + link.data;
      document.body.setAttribute("data-action-link", link.type + ":" + link.data);
    }
    var user = editorConfig.user || {};
    if (user.image) {
      var image = $("dd-user-image");
      image.addEventListener("load", function () { image.setAttribute("data-loaded", "yes"); });
      image.addEventListener("error", function () { image.setAttribute("data-loaded", "no"); });
      image.src = user.image;
      image.hidden = false;
    }
    renderSharing(info.sharingSettings);
    var commenting = session.editing && (config.document.permissions || {}).comment !== false;
    $("dd-comments").hidden = !commenting;
    $("dd-mention").hidden = !(commenting && has("onRequestUsers"));
    $("dd-mention").addEventListener("click", mention);
    $("dd-comment").addEventListener("input", function () {
      if (has("onRequestUsers") && typed() !== null) { mention(); }
    });
    $("dd-add-comment").addEventListener("click", addComment);
    var protect = session.editing && config.documentType === "cell" &&
      (config.document.permissions || {}).protect !== false && has("onRequestUsers");
    $("dd-protect").hidden = !protect;
    $("dd-protect").addEventListener("click", function () { requestUsers("protect"); });
    $("dd-sharing").hidden = !has("onRequestSharingSettings");
    $("dd-sharing").addEventListener("click", function () {
      log("event onRequestSharingSettings");
      fire("onRequestSharingSettings");
    });
    if (has("onRequestUsers")) {
      var ids = [];
      (session.users || []).forEach(function (c) {
        if (c.userId && ids.indexOf(c.userId) < 0) { ids.push(c.userId); }
      });
      if (ids.length) { requestUsers("info", { c: "info", id: ids }); }
    }
  }

  window.ddPeople = {
    open: open,
    setUsers: setUsers,
    setSharingSettings: function (data) { renderSharing(data && data.sharingSettings); }
  };
})();
