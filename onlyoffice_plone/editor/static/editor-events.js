// The editor's document events, answered through the add-on's REST services on the item:
// version history (onRequestHistory, onRequestHistoryData, onRequestHistoryClose), restore,
// rename (and onMetaChange from co-editors), "Save copy as", refresh after the file changed,
// and close. Docs shows a feature's button only when its event is declared, so each event is
// declared only when the page says the user has the right for it.

// A REST service of the item: its JSON reply, or an Error with the service's message.
export function rest(itemUrl, name, options = {}) {
  const init = {
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    ...options,
  };
  return fetch(`${itemUrl}/${name}`, init).then(async (response) => {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const error = (body && body.error) || {};
      throw new Error(error.message || `HTTP ${response.status}`);
    }
    return body;
  });
}

export function post(itemUrl, name, data) {
  return rest(itemUrl, name, { method: "POST", body: JSON.stringify(data) });
}

// The events to declare, given the page's data attributes and a `say(parts)` to show a notice.
export function documentEvents(frame, editor, say, text) {
  const itemUrl = frame.dataset.itemUrl;
  const can = (name) => frame.dataset[name] === "true";
  const events = {
    onRequestClose() {
      // Back to the item's page, or close the tab the item opened.
      if (window.opener && frame.dataset.newTab === "true") {
        window.close();
      }
      window.location.href = frame.dataset.viewUrl;
    },
    onRequestRefreshFile() {
      rest(itemUrl, `@onlyoffice-config?mode=${encodeURIComponent(frame.dataset.mode)}`)
        .then((reply) => {
          const config = reply.config;
          config.width = "100%";
          config.height = "100%";
          editor().refreshFile(config);
        })
        .catch((e) => say([`${text("failed")} ${e.message}`]));
    },
  };
  if (can("canHistory")) {
    const refresh = () =>
      rest(itemUrl, "@onlyoffice-history")
        .then((history) => editor().refreshHistory(history))
        .catch((e) => editor().refreshHistory({ error: e.message }));
    events.onRequestHistory = refresh;
    events.onRequestHistoryData = (event) => {
      const version = event.data;
      rest(itemUrl, `@onlyoffice-history-data?version=${encodeURIComponent(version)}`)
        .then((data) => editor().setHistoryData(data))
        .catch((e) => editor().setHistoryData({ error: e.message, version }));
    };
    events.onRequestHistoryClose = () => {
      window.location.reload();
    };
    if (can("canRestore")) {
      events.onRequestRestore = (event) => {
        post(itemUrl, "@onlyoffice-restore", { version: event.data.version })
          .then(refresh)
          .catch((e) => editor().refreshHistory({ error: e.message }));
      };
    }
  }
  if (can("canRename")) {
    events.onRequestRename = (event) => {
      post(itemUrl, "@onlyoffice-rename", { title: event.data }).catch((e) =>
        say([`${text("failed")} ${e.message}`]),
      );
    };
  }
  events.onMetaChange = (event) => {
    const title = event.data && event.data.title;
    if (title) {
      document.title = title;
    }
  };
  if (can("canSaveAs")) {
    events.onRequestSaveAs = (event) => {
      const data = event.data || {};
      post(itemUrl, "@onlyoffice-saveas", { url: data.url, title: data.title, fileType: data.fileType })
        .then((copy) => {
          const link = document.createElement("a");
          link.href = copy.url;
          link.textContent = copy.title;
          link.id = "onlyoffice-copy-link";
          say([`${text("saved-as")} `, link]);
        })
        .catch((e) => say([`${text("failed")} ${e.message}`]));
    };
  }
  return events;
}
