// Drives "Convert to Office Open XML" and "Download as": the browser polls Plone's REST
// service, Plone asks ONLYOFFICE Docs one step at a time (Docs' own asynchronous protocol).
// The page shows progress and elapsed time. Cancel stops polling; a step already sent still
// finishes on the server, and if its answer says the result was stored, the page says so.

const POLL_MS = 1000;

const root =
  document.getElementById("onlyoffice-conversion") ||
  document.getElementById("onlyoffice-download-as");

function text(name, values = {}) {
  const texts = document.getElementById("onlyoffice-conversion-texts");
  const node = texts && texts.content.querySelector(`[data-text="${name}"]`);
  let value = node ? node.textContent.trim() : name;
  for (const [key, replacement] of Object.entries(values)) {
    value = value.replace(`{${key}}`, replacement);
  }
  return value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Progress {
  constructor(onCancel) {
    this.box = document.getElementById("onlyoffice-convert-progress");
    this.bar = this.box.querySelector(".progress-bar");
    this.meter = this.box.querySelector(".progress");
    this.elapsed = this.box.querySelector(".onlyoffice-progress-elapsed");
    this.error = document.getElementById("onlyoffice-convert-error");
    this.cancel = document.getElementById("onlyoffice-convert-cancel");
    this.cancel.onclick = onCancel;
  }

  start() {
    this.started = Date.now();
    this.error.hidden = true;
    this.box.hidden = false;
    this.cancel.disabled = false;
    this.update(0);
    this.timer = setInterval(() => this.tick(), 500);
  }

  tick() {
    const seconds = Math.floor((Date.now() - this.started) / 1000);
    this.elapsed.textContent = text("seconds", { n: seconds });
  }

  // Docs 9 reports 0 until the result is there: show a moving bar, and the percent if known.
  update(percent) {
    this.tick();
    this.meter.setAttribute("aria-valuenow", String(percent));
    if (percent > 0) {
      this.bar.classList.remove("onlyoffice-indeterminate");
      this.bar.style.width = `${percent}%`;
      this.bar.textContent = `${percent}%`;
    }
  }

  stop() {
    clearInterval(this.timer);
    this.box.hidden = true;
  }

  fail(message) {
    this.stop();
    this.error.textContent = message;
    this.error.hidden = false;
  }
}

async function call(url, options, signal) {
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { Accept: "application/json", ...(options.headers || {}) },
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    return { ok: false, data: { error: { message: text("network") } } };
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  const ok = response.ok || response.status === 202;
  if (!ok && !(data.error && data.error.message)) {
    data = { error: { message: `${text("failed")} (HTTP ${response.status})` } };
  }
  return { ok, data };
}

// Poll ``request()`` until done; resolves with the final state, or null when cancelled.
async function poll(request, progress, controller) {
  progress.start();
  try {
    for (;;) {
      const { ok, data } = await request(controller.signal);
      if (!ok) {
        progress.fail(data.error.message);
        return null;
      }
      if (data.status === "done") {
        progress.update(100);
        return data;
      }
      progress.update(data.percent || 0);
      await sleep(POLL_MS);
      if (controller.signal.aborted) return null;
    }
  } catch (error) {
    if (error.name === "AbortError") return null;
    progress.fail(text("failed"));
    return null;
  }
}

function setupConvert() {
  const form = document.getElementById("onlyoffice-convert-form");
  let controller = null;
  let cancelled = false;
  const notice = document.createElement("div");
  notice.className = "alert alert-info mt-3";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  form.after(notice);
  const progress = new Progress(() => {
    // Stop polling, but let a request already sent answer: it may have stored the result.
    cancelled = true;
    progress.stop();
    notice.textContent = text("cancelled");
    notice.hidden = false;
    form.hidden = false;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const checked = form.querySelector("input[name=target]:checked");
    const target = checked ? checked.value : "new";
    form.hidden = true;
    notice.hidden = true;
    cancelled = false;
    controller = new AbortController();
    const body = JSON.stringify({ target });
    const state = await poll(
      async (signal) => {
        const answer = await call(
          root.dataset.serviceUrl,
          {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              "X-CSRF-TOKEN": root.dataset.csrfToken,
            },
            body,
          },
          signal,
        );
        if (cancelled) {
          controller.abort();
          if (answer.ok && answer.data.status === "done") {
            notice.textContent = `${text("finished-anyway")} `;
            const link = document.createElement("a");
            link.href = answer.data.edit_url || answer.data.view_url;
            link.textContent = text("open");
            notice.append(link);
            notice.hidden = false;
          }
          const aborted = new Error("cancelled");
          aborted.name = "AbortError";
          throw aborted;
        }
        return answer;
      },
      progress,
      controller,
    );
    if (state) {
      progress.cancel.disabled = true;
      window.location.href = state.edit_url || state.view_url;
    } else if (!controller.signal.aborted) {
      form.hidden = false;
    }
  });
}

function setupDownloadAs() {
  const list = root.querySelector(".onlyoffice-formats");
  let controller = null;
  const progress = new Progress(() => {
    if (controller) controller.abort();
    progress.stop();
    list.hidden = false;
  });
  list.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-outputtype]");
    if (!link) return;
    event.preventDefault();
    list.hidden = true;
    controller = new AbortController();
    const url = `${root.dataset.serviceUrl}?outputtype=${encodeURIComponent(link.dataset.outputtype)}`;
    const state = await poll((signal) => call(url, {}, signal), progress, controller);
    list.hidden = false;
    if (state) {
      progress.stop();
      window.location.href = state.download_url;
    }
  });
}

if (root && root.id === "onlyoffice-conversion") setupConvert();
if (root && root.id === "onlyoffice-download-as") setupDownloadAs();
