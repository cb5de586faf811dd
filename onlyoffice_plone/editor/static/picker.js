// The content picker of the editor page: a modal dialog that browses the site's folders and
// searches it, listing only what the user may view and only the kind asked for, through the
// add-on's REST service @onlyoffice-picker. One reusable piece for every request of the editor:
//
//   window.onlyofficePicker.open({kind: "image"|"document"|"spreadsheet", multiple: false,
//                                 title: "translated dialog title"})
//     → Promise of [{uid, title, path, url}] ([] when cancelled)
//
// Accessible: a dialog (role, aria-modal, labelled by its title) that keeps the focus inside
// (Tab and Shift+Tab cycle) and gives it back when it closes; Escape cancels; the list is a
// listbox (arrows, Home, End, Enter opens a folder or chooses a file, Space selects, Backspace
// goes up); a live region says how many items are shown. Every text comes translated from the
// page (<template id="onlyoffice-picker-texts">).

const root = document.getElementById("onlyoffice-picker-root");
const SEARCH_DELAY_MS = 250;

function text(name, mapping = {}) {
  const template = document.getElementById("onlyoffice-picker-texts");
  const node = template && template.content.querySelector(`[data-text="${name}"]`);
  let value = node ? node.textContent.trim() : name;
  for (const [key, replacement] of Object.entries(mapping)) {
    value = value.replace(`{${key}}`, String(replacement));
  }
  return value;
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = value;
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  node.append(...children);
  return node;
}

class Picker {
  constructor(portalUrl) {
    this.portalUrl = portalUrl;
    this.dialog = null;
  }

  build() {
    const ids = (name) => `onlyoffice-picker-${name}`;
    this.title = element("h2", { id: ids("title"), class: "onlyoffice-picker-title" });
    this.search = element("input", {
      id: ids("q"),
      type: "search",
      autocomplete: "off",
      "aria-controls": ids("list"),
    });
    this.crumbs = element("ol", { class: "onlyoffice-picker-crumbs" });
    this.list = element("ul", {
      id: ids("list"),
      role: "listbox",
      tabindex: "0",
      "aria-label": text("list"),
      class: "onlyoffice-picker-list",
    });
    this.status = element("p", {
      id: ids("status"),
      role: "status",
      "aria-live": "polite",
      class: "onlyoffice-picker-status",
    });
    this.more = element("button", { type: "button", id: ids("more"), text: text("more") });
    this.up = element("button", { type: "button", id: ids("up"), text: text("up") });
    this.choose = element("button", {
      type: "button",
      id: ids("choose"),
      class: "btn btn-primary",
      text: text("choose"),
    });
    this.cancel = element("button", {
      type: "button",
      id: ids("cancel"),
      class: "btn btn-secondary",
      text: text("cancel"),
    });
    this.dialog = element(
      "dialog",
      {
        id: "onlyoffice-picker",
        class: "onlyoffice-picker",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": ids("title"),
        "aria-describedby": ids("status"),
      },
      [
        this.title,
        element("div", { class: "onlyoffice-picker-search" }, [
          element("label", { for: ids("q"), text: text("search") }),
          this.search,
        ]),
        element("nav", { "aria-label": text("location") }, [this.crumbs]),
        this.list,
        this.status,
        this.more,
        element("div", { class: "onlyoffice-picker-buttons" }, [this.up, this.choose, this.cancel]),
      ],
    );
    document.body.appendChild(this.dialog);
    this.dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.finish([]);
    });
    this.dialog.addEventListener("keydown", (event) => this.trapFocus(event));
    this.cancel.addEventListener("click", () => this.finish([]));
    this.choose.addEventListener("click", () => this.confirm());
    this.up.addEventListener("click", () => this.goUp());
    this.more.addEventListener("click", () => this.load(this.next, true));
    this.list.addEventListener("keydown", (event) => this.onListKey(event));
    this.list.addEventListener("focus", () => {
      if (!this.active && this.options().length) {
        this.activate(this.options()[0]);
      }
    });
    this.search.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.load(0, false), SEARCH_DELAY_MS);
    });
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(this.searchTimer);
        this.load(0, false);
      } else if (event.key === "ArrowDown" && this.options().length) {
        event.preventDefault();
        this.list.focus();
      }
    });
  }

  open({ kind, multiple = false, title = "" } = {}) {
    if (!["image", "document", "spreadsheet"].includes(kind)) {
      return Promise.reject(new Error(`unknown kind ${kind}`));
    }
    if (this.resolve) {
      this.finish([]);
    }
    if (!this.dialog) {
      this.build();
    }
    this.kind = kind;
    this.multiple = Boolean(multiple);
    this.path = "/";
    this.selected = new Map();
    this.active = null;
    this.title.textContent = title || text("title");
    this.search.value = "";
    this.list.setAttribute("aria-multiselectable", this.multiple ? "true" : "false");
    this.returnFocus = document.activeElement;
    this.updateChoose();
    this.dialog.showModal();
    this.search.focus();
    this.load(0, false);
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  finish(items) {
    const resolve = this.resolve;
    this.resolve = null;
    clearTimeout(this.searchTimer);
    if (this.dialog && this.dialog.open) {
      this.dialog.close();
    }
    if (this.returnFocus && typeof this.returnFocus.focus === "function") {
      this.returnFocus.focus();
    }
    if (resolve) {
      resolve(items);
    }
  }

  confirm() {
    const items = [...this.selected.values()];
    if (items.length) {
      this.finish(items.map(({ uid, title, path, url }) => ({ uid, title, path, url })));
    }
  }

  trapFocus(event) {
    if (event.key !== "Tab") {
      return;
    }
    const focusable = [...this.dialog.querySelectorAll("button, input, [tabindex='0']")].filter(
      (node) => !node.disabled && !node.hidden && node.offsetParent !== null,
    );
    if (!focusable.length) {
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  query(start) {
    const params = new URLSearchParams({ kind: this.kind, b_start: String(start) });
    const words = this.search.value.trim();
    if (words) {
      params.set("q", words);
    } else if (this.path !== "/") {
      params.set("path", this.path);
    }
    return `${this.portalUrl}/@onlyoffice-picker?${params}`;
  }

  async load(start, append) {
    const serial = (this.serial = (this.serial || 0) + 1);
    this.status.textContent = text("loading");
    this.dialog.setAttribute("aria-busy", "true");
    let reply;
    try {
      const response = await fetch(this.query(start), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      reply = await response.json();
      if (!response.ok) {
        throw new Error((reply.error && reply.error.message) || `HTTP ${response.status}`);
      }
    } catch (e) {
      if (serial === this.serial) {
        this.status.textContent = `${text("failed")} ${e.message}`;
        this.dialog.removeAttribute("aria-busy");
      }
      return;
    }
    if (serial !== this.serial) {
      return;
    }
    this.dialog.removeAttribute("aria-busy");
    this.render(reply, append);
  }

  render(reply, append) {
    if (!append) {
      this.list.replaceChildren();
      this.active = null;
      this.list.removeAttribute("aria-activedescendant");
    }
    this.searching = Boolean(reply.q);
    this.crumbs.replaceChildren(
      ...(this.searching ? [] : reply.breadcrumbs).map((crumb, index, all) => {
        const current = index === all.length - 1;
        const button = element("button", {
          type: "button",
          class: "onlyoffice-picker-crumb",
          "aria-current": current ? "location" : null,
          text: crumb.title,
        });
        button.addEventListener("click", () => this.goTo(crumb.path));
        return element("li", {}, [button]);
      }),
    );
    for (const item of reply.items) {
      this.list.appendChild(this.option(item));
    }
    this.next = reply.next_b_start;
    this.more.hidden = reply.next_b_start === null || reply.next_b_start === undefined;
    this.up.disabled = this.searching || !reply.parent;
    this.parent = reply.parent;
    const shown = this.options().length;
    this.status.textContent = shown
      ? text("count", { shown, total: reply.items_total })
      : text(this.searching ? "no-results" : "empty");
  }

  option(item) {
    const id = `onlyoffice-picker-item-${item.uid}`;
    const node = element(
      "li",
      {
        id,
        role: "option",
        class: item.folderish ? "onlyoffice-picker-folder" : "onlyoffice-picker-file",
        "aria-selected": this.selected.has(item.uid) ? "true" : "false",
        "data-uid": item.uid,
        "data-path": item.path,
        "data-folderish": item.folderish ? "true" : "false",
      },
      [
        element("img", {
          src: `${this.portalUrl}/@@iconresolver/${item.icon}`,
          alt: "",
          class: "onlyoffice-picker-icon",
          width: "16",
          height: "16",
        }),
        element("span", { class: "onlyoffice-picker-name", text: item.title }),
        element("span", {
          class: "onlyoffice-picker-type",
          text: item.folderish ? text("folder") : item.type_title,
        }),
        element("span", { class: "onlyoffice-picker-path", text: item.path }),
      ],
    );
    node.item = item;
    node.addEventListener("click", () => {
      this.activate(node);
      if (item.folderish) {
        this.goTo(item.path);
      } else {
        this.toggle(node, !this.multiple);
      }
    });
    node.addEventListener("dblclick", () => {
      if (!item.folderish) {
        this.toggle(node, !this.multiple, true);
        this.confirm();
      }
    });
    return node;
  }

  options() {
    return [...this.list.querySelectorAll("[role=option]")];
  }

  activate(node) {
    if (this.active) {
      this.active.classList.remove("onlyoffice-picker-active");
    }
    this.active = node;
    node.classList.add("onlyoffice-picker-active");
    this.list.setAttribute("aria-activedescendant", node.id);
    node.scrollIntoView({ block: "nearest" });
  }

  toggle(node, only, on) {
    const uid = node.item.uid;
    const select = on === undefined ? !this.selected.has(uid) : on;
    if (only) {
      this.selected.clear();
      for (const other of this.options()) {
        other.setAttribute("aria-selected", "false");
      }
    }
    if (select) {
      this.selected.set(uid, node.item);
    } else {
      this.selected.delete(uid);
    }
    node.setAttribute("aria-selected", select ? "true" : "false");
    this.updateChoose();
  }

  updateChoose() {
    this.choose.disabled = this.selected.size === 0;
  }

  goTo(path) {
    this.search.value = "";
    this.path = path || "/";
    this.load(0, false).then(() => this.list.focus());
  }

  goUp() {
    if (this.parent && !this.searching) {
      this.goTo(this.parent);
    }
  }

  onListKey(event) {
    const options = this.options();
    const index = options.indexOf(this.active);
    const move = (to) => {
      if (options.length) {
        this.activate(options[Math.max(0, Math.min(options.length - 1, to))]);
      }
    };
    switch (event.key) {
      case "ArrowDown":
        move(index + 1);
        break;
      case "ArrowUp":
        move(index - 1);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(options.length - 1);
        break;
      case " ":
        if (this.active && !this.active.item.folderish) {
          this.toggle(this.active, !this.multiple);
        }
        break;
      case "Enter":
        if (!this.active) {
          this.confirm();
        } else if (this.active.item.folderish) {
          this.goTo(this.active.item.path);
        } else if (this.multiple && this.selected.size) {
          this.toggle(this.active, false, true);
          this.confirm();
        } else {
          this.toggle(this.active, true, true);
          this.confirm();
        }
        break;
      case "Backspace":
      case "ArrowLeft":
        this.goUp();
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}

if (root) {
  const picker = new Picker(root.dataset.portalUrl);
  window.onlyofficePicker = {
    open: (options) => picker.open(options),
  };
}
