// onvif ui: plain JavaScript, no build step. The browser talks to this server only.
"use strict";

let lastSaid = "";
function say(text, bad) {
  lastSaid = text;
  const s = document.getElementById("status");
  if (s) { s.textContent = text; s.className = bad ? "error" : ""; }
}

// What a change said survives the reload that shows its result.
const said = sessionStorage.getItem("said");
if (said) { sessionStorage.removeItem("said"); say(said); }

function post(url, fields) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields || {}),
    credentials: "same-origin",
  }).then(async (r) => {
    const text = await r.text();
    say(text, !r.ok);
    return r.ok;
  }).catch(() => { say("the server cannot be reached", true); return false; });
}

// Forms marked data-ajax post in the background; data-reload reloads the page after;
// data-confirm asks first.
// A slow plain form (data-busy) says so while the next page is on its way, and is not sent
// twice.
document.addEventListener("submit", (ev) => {
  const f = ev.target;
  // A form marked data-confirm is sent only when the person says yes.
  if (f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
    ev.preventDefault();
    return;
  }
  if (f.dataset.busy) {
    say(f.dataset.busy);
    for (const b of f.querySelectorAll("button")) b.disabled = true;
  }
  if (!f.hasAttribute("data-ajax")) return;
  ev.preventDefault();
  post(f.action, new FormData(f)).then((ok) => {
    if (ok && f.hasAttribute("data-reload")) {
      sessionStorage.setItem("said", lastSaid);
      location.reload();
    }
  });
});

// Imaging sliders: each change sends that one setting.
for (const s of document.querySelectorAll("input[data-slider]")) {
  const out = s.parentElement.querySelector("output");
  s.addEventListener("input", () => { if (out) out.textContent = s.value; });
  s.addEventListener("change", () => post(s.form.action, { [s.name]: s.value }));
}

// Copy buttons.
for (const b of document.querySelectorAll("button[data-copy]")) {
  b.addEventListener("click", () => {
    navigator.clipboard.writeText(b.dataset.copy).then(() => say("copied"), () => say("cannot copy", true));
  });
}

// The live view: a new snapshot about once a second, swapped in when loaded.
const live = document.getElementById("live");
if (live) {
  const base = live.getAttribute("src");
  const every = Number(live.dataset.refresh) || 1000;
  const next = () => {
    const img = new Image();
    img.onload = () => { live.src = img.src; setTimeout(next, every); };
    img.onerror = () => { setTimeout(next, every * 5); };
    img.src = base + "?t=" + Date.now();
  };
  setTimeout(next, every);
}

// The PTZ pad: press and hold moves, release stops; the move is repeated while held
// (the server gives each one a short timeout, so a lost release stops by itself).
const pad = document.querySelector("[data-ptz]");
if (pad) {
  const url = pad.dataset.ptz;
  let held = null;
  const start = (v) => {
    if (held) return;
    const send = () => post(url + "/move", v);
    send();
    held = setInterval(send, 2000);
  };
  const stop = () => {
    if (!held) return;
    clearInterval(held);
    held = null;
    post(url + "/stop");
  };
  for (const b of pad.querySelectorAll("button")) {
    if (b.hasAttribute("data-home")) {
      b.addEventListener("click", () => post(url + "/home"));
      continue;
    }
    const v = {};
    for (const k of ["pan", "tilt", "zoom"]) if (b.dataset[k] !== undefined) v[k] = b.dataset[k];
    b.addEventListener("pointerdown", (e) => { e.preventDefault(); b.setPointerCapture(e.pointerId); start(v); });
    for (const t of ["pointerup", "pointercancel", "lostpointercapture"]) b.addEventListener(t, stop);
  }
  const keys = {
    ArrowUp: { tilt: 0.5 }, ArrowDown: { tilt: -0.5 }, ArrowLeft: { pan: -0.5 }, ArrowRight: { pan: 0.5 },
    "+": { zoom: 0.5 }, "=": { zoom: 0.5 }, "-": { zoom: -0.5 },
  };
  document.addEventListener("keydown", (e) => {
    const v = keys[e.key];
    if (!v || e.repeat || /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) return;
    e.preventDefault();
    start(v);
  });
  document.addEventListener("keyup", (e) => { if (keys[e.key]) stop(); });
  window.addEventListener("blur", stop);
}

// The live event feed (server-sent events), newest first, at most 50.
const feed = document.getElementById("events");
if (feed && window.EventSource) {
  const es = new EventSource(feed.dataset.src);
  es.onmessage = (m) => {
    let e;
    try { e = JSON.parse(m.data); } catch { return; }
    const li = document.createElement("li");
    const items = (e.source || []).concat(e.data || []).map((i) => i.name + "=" + i.value).join(" ");
    const state = e.active === true ? " on" : e.active === false ? " off" : "";
    li.textContent = [e.time || "", (e.kind || "event") + state, e.topic, e.operation || "", items].join("  ");
    feed.prepend(li);
    while (feed.children.length > 50) feed.lastChild.remove();
  };
  const state = document.getElementById("state");
  es.addEventListener("lifecycle", (m) => {
    const name = JSON.parse(m.data);
    // The badge follows the event session: lost is offline until it is back. Only a loss and
    // the recovery are said on the status line: a subscription made or renewed would take
    // the place of what the user's last change said.
    const up = ["Subscribed", "Renewed", "Recreated"].includes(name);
    const down = ["Lost", "RetryFailed", "AttemptCapReached", "Closed"].includes(name);
    if (down || name === "Recreated") say("events: " + name, down);
    if (state) state.title = "events: " + name;
    if (state && (up || down)) {
      state.textContent = up ? "online" : "offline";
      state.className = up ? "online" : "offline";
    }
  });
  // A feed that comes back takes its complaint off the status line.
  const complaint = "event feed interrupted; retrying";
  es.onerror = () => say(complaint, true);
  es.onopen = () => { if (lastSaid === complaint) say("event feed back"); };
}

// The cameras list checks every camera again every 15 s.
const list = document.querySelector("ul.cameras[data-status]");
if (list) {
  const refresh = () => fetch(list.dataset.status, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((j) => {
      for (const c of (j && j.cameras) || []) {
        const li = [...list.children].find((l) => l.dataset.name === c.name);
        if (!li) continue;
        const st = li.querySelector("[data-state]");
        st.textContent = c.online ? "online" : "offline";
        st.className = c.online ? "online" : "offline";
        if (c.online) li.querySelector("[data-model]").textContent = c.maker + " " + c.model;
        li.querySelector("[data-problem]").textContent = c.problem;
      }
    })
    .catch(() => {})
    .finally(() => setTimeout(refresh, 15000));
  setTimeout(refresh, 15000);
}

// A status page (the bridge's) updates itself in place: the page is fetched again and its
// main part swapped in, without reloading.
const update = document.querySelector("[data-update-every]");
if (update) {
  const every = Number(update.dataset.updateEvery) || 5000;
  const again = () => fetch(location.href, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : null))
    .then((t) => {
      const fresh = t && new DOMParser().parseFromString(t, "text/html").querySelector("main");
      if (fresh) document.querySelector("main").replaceWith(fresh);
    })
    .catch(() => {})
    .finally(() => setTimeout(again, every));
  setTimeout(again, every);
}
