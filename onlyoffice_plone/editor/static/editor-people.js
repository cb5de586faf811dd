// The people in the editor, answered through the add-on's REST services on the item:
// onRequestUsers (mention: people who may view the document, searched as the user types;
// protect: people who may edit it; info: names and portraits), onRequestSendNotify (a mention
// mails the people it names) and onRequestSharingSettings (Plone's Sharing page in a new tab).
// Docs offers each feature only when its event is declared, so each is declared only when
// the page says the user has the right for it.

import { rest } from "./editor-events.js";

export function peopleEvents(frame, editor, say, text) {
  const itemUrl = frame.dataset.itemUrl;
  const can = (name) => frame.dataset[name] === "true";
  const kinds = { mention: can("canMention"), protect: can("canProtect"), info: can("canInfo") };
  const events = {};
  if (kinds.mention || kinds.protect || kinds.info) {
    events.onRequestUsers = (event) => {
      const data = (event && event.data) || {};
      const c = data.c || "mention";
      if (!kinds[c]) {
        editor().setUsers({ c, users: [] });
        return;
      }
      const query = new URLSearchParams({ c });
      // Newer Docs send what the user typed after "@"; older ones nothing (a short list).
      if (typeof data.search === "string" && data.search) {
        query.set("search", data.search.slice(0, 100));
      }
      if (Array.isArray(data.id) && data.id.length) {
        query.set("ids", data.id.slice(0, 100).join(","));
      }
      if (c === "info" && !query.has("ids")) {
        editor().setUsers({ c, users: [] });
        return;
      }
      rest(itemUrl, `@onlyoffice-users?${query}`)
        .then((reply) => editor().setUsers({ c, users: reply.users }))
        .catch((e) => {
          editor().setUsers({ c, users: [] });
          say([`${text("failed")} ${e.message}`]);
        });
    };
  }
  if (kinds.mention) {
    events.onRequestSendNotify = (event) => {
      const data = (event && event.data) || {};
      fetch(`${itemUrl}/@onlyoffice-notify`, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({
          emails: data.emails,
          message: data.message,
          actionLink: data.actionLink,
        }),
      })
        .then(async (response) => {
          const body = await response.json().catch(() => null);
          if (!response.ok) {
            const error = (body && body.error) || {};
            throw new Error(error.message || `HTTP ${response.status}`);
          }
          say([`${text("notified")} ${body.notified}`]);
        })
        .catch((e) => say([`${text("failed")} ${e.message}`]));
    };
  }
  if (can("canShare")) {
    events.onRequestSharingSettings = () => {
      window.open(frame.dataset.sharingUrl, "_blank", "noopener");
    };
  }
  return events;
}
