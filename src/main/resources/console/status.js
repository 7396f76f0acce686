// The status page: plain JS over the /observe JSON endpoints, refreshed every 10 s. Text only (textContent), never HTML.
"use strict";
(function () {
  const REFRESH_MS = 10000;
  let authorized = false;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells) {
    const tr = document.createElement("tr");
    cells.forEach(c => tr.appendChild(c instanceof Node ? c : el("td", c)));
    return tr;
  }
  function when(iso) {
    if (!iso) return "never";
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return ago(seconds) + " (" + iso.replace("T", " ").replace(/\.\d+Z$/, "Z") + ")";
  }
  function ago(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    if (seconds < 120) return Math.round(seconds) + " s ago";
    if (seconds < 7200) return Math.round(seconds / 60) + " min ago";
    return Math.round(seconds / 3600) + " h ago";
  }
  function lag(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    return seconds < 120 ? Math.round(seconds) + " s" : seconds < 7200 ? Math.round(seconds / 60) + " min" : Math.round(seconds / 3600) + " h";
  }
  async function getJson(path) {
    const response = await fetch(path, {credentials: "same-origin", headers: {"Accept": "application/json"}});
    return {status: response.status, body: await response.json()};
  }

  function renderFlows(data) {
    document.getElementById("identity").textContent = "version " + data.version + " · HubSpot " + data.hubspot
      + " · Salesforce " + data.salesforce + (data.authorized ? " · logged in" : data.tokenConfigured ? " · read-only (log in to replay)"
      : " · read-only (no ops token configured)");
    const store = document.getElementById("store");
    store.textContent = data.stateStore.up ? "State store: up" : "State store unavailable since " + data.stateStore.since + ": "
      + data.stateStore.problem + " (flows paused)";
    store.className = data.stateStore.up ? "" : "error";
    authorized = data.authorized;
    document.getElementById("link-login").hidden = authorized || !data.tokenConfigured;
    document.getElementById("logout").hidden = !authorized;
    document.getElementById("parked-locked").hidden = authorized;
    document.getElementById("parked-detail").hidden = !authorized;
    document.querySelectorAll(".needs-token").forEach(e => e.hidden = !authorized);

    const flows = document.querySelector("#flows tbody");
    flows.replaceChildren();
    const select = document.getElementById("filter-flow");
    const chosen = select.value;
    select.replaceChildren(el("option", "any"));
    select.firstChild.value = "";
    data.flows.forEach(f => {
      const state = el("td", null);
      state.appendChild(el("span", f.state, "state-" + f.state));
      if (f.reason) state.appendChild(el("div", f.reason + (f.until ? " (until " + f.until + ")" : ""), "muted reason"));
      const last = f.lastRun;
      const tr = row([el("td", f.flow), state,
        last ? last.status + ", " + when(last.finishedAt) : "–", when(f.lastSuccess),
        last ? last.read + " / " + last.written + " / " + last.parked : "–",
        f.last24h.read + " / " + f.last24h.written + " / " + f.last24h.parked, lag(f.cursorLagSeconds), f.parked]);
      tr.dataset.flow = f.flow;
      tr.dataset.state = f.state;
      flows.appendChild(tr);
      const option = el("option", f.flow);
      option.value = f.flow;
      select.appendChild(option);
    });
    select.value = chosen;

    const apis = document.querySelector("#apis tbody");
    apis.replaceChildren();
    data.apis.forEach(a => {
      const tr = row([a.api, a.used === null ? "unknown yet" : a.used, a.limit < 0 ? "unknown yet" : a.limit,
        a.share === null ? "–" : Math.round(a.share * 100) + " %", a.remaining < 0 ? "–" : a.remaining, a.circuit,
        a.paused ? "until " + a.paused.until + ": " + a.paused.reason : "no"]);
      tr.dataset.api = a.api;
      apis.appendChild(tr);
    });
  }

  function renderGroups(groups) {
    const body = document.querySelector("#parked-groups tbody");
    body.replaceChildren();
    if (groups.length === 0) body.appendChild(row([el("td", "Nothing is parked.")]));
    groups.forEach(g => {
      const action = el("td", null, "needs-token");
      action.hidden = !authorized;
      const button = el("button", "Replay all " + g.count, "replay-group");
      button.type = "button";
      button.addEventListener("click", () => replay({flow: g.flow, code: g.code}));
      action.appendChild(button);
      const tr = row([g.flow, (g.code || g.kind) + (g.waiting ? " (waiting for a Salesforce match)" : ""), g.kind, g.count, action]);
      tr.dataset.flow = g.flow;
      tr.dataset.code = g.code || "";
      body.appendChild(tr);
    });
  }

  async function loadRecords() {
    if (!authorized) return;
    const q = new URLSearchParams();
    const flow = document.getElementById("filter-flow").value;
    const code = document.getElementById("filter-code").value.trim();
    const reason = document.getElementById("filter-reason").value.trim();
    if (flow) q.set("flow", flow);
    if (code) q.set("code", code);
    if (reason) q.set("reason", reason);
    q.set("status", "all");
    q.set("limit", "100");
    const {status, body} = await getJson("/observe/parked?" + q);
    if (status !== 200) return;
    const tbody = document.querySelector("#parked-records tbody");
    const checked = new Set([...tbody.querySelectorAll("input:checked")].map(c => c.value));
    tbody.replaceChildren();
    body.records.forEach(r => {
      const box = el("input");
      box.type = "checkbox";
      box.value = r.id;
      box.checked = checked.has(String(r.id));
      box.disabled = r.status !== "parked";
      const pick = el("td");
      pick.appendChild(box);
      const act = el("td");
      if (r.status === "parked") {
        const b = el("button", "Replay", "replay-one");
        b.type = "button";
        b.dataset.id = r.id;
        b.addEventListener("click", () => replay({ids: [r.id]}));
        act.appendChild(b);
      }
      const tr = row([pick, r.id, r.flow, r.key, el("td", (r.code ? r.code + ": " : "") + r.reason, "reason"), r.attempts,
        when(r.lastSeen), el("td", r.status, "status-" + r.status + " status"), act]);
      tr.dataset.id = r.id;
      tbody.appendChild(tr);
    });
    document.getElementById("parked-more").hidden = !body.more;
  }

  async function replay(selection) {
    const result = document.getElementById("replay-result");
    result.textContent = "Replaying…";
    const response = await fetch("/observe/parked/replay", {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(selection)});
    const body = await response.json();
    if (response.status !== 200) {
      result.textContent = "Replay refused (" + response.status + "): " + body.message;
      result.className = "error";
    } else {
      const parts = body.flows.map(f => f.flow + ": " + f.resolved + " resolved, " + f.stillParked + " still parked"
        + (f.error ? " (" + f.error + ")" : ""));
      result.textContent = "Replayed " + body.selected + " record(s). " + parts.join("; ") + (body.fatal ? " Stopped: " + body.fatal : "");
      result.className = body.fatal ? "error" : "";
    }
    await refresh();
  }

  function renderVerdicts(sla) {
    const counts = document.querySelector("#verdict-counts tbody");
    counts.replaceChildren();
    if (!sla.verdictsLast7Days.length) counts.appendChild(row([el("td", "none", "muted"), "", ""]));
    sla.verdictsLast7Days.forEach(c => counts.appendChild(row([c.disposition, c.reason === null ? "–" : c.reason, c.count])));
    const detail = document.getElementById("verdicts-detail");
    detail.hidden = !sla.recentVerdicts;
    if (!sla.recentVerdicts) return;
    const recent = document.querySelector("#recent-verdicts tbody");
    recent.replaceChildren();
    sla.recentVerdicts.forEach(v => recent.appendChild(row([v.recordId, v.disposition, v.reason === null ? "–" : v.reason,
      when(v.decidedAt), when(v.sentAt)])));
  }

  async function refresh() {
    try {
      const flows = await getJson("/observe/flows");
      renderFlows(flows.body);
      const groups = await getJson("/observe/parked/summary");
      renderGroups(groups.body.groups);
      const sla = await getJson("/observe/sla");
      document.getElementById("sla-open").textContent = sla.body.open;
      document.getElementById("sla-due").textContent = sla.body.dueWithinHour;
      document.getElementById("sla-breached-today").textContent = sla.body.breachedToday;
      document.getElementById("sla-breached-total").textContent = sla.body.breachedTotal;
      document.getElementById("reverse-sla-open").textContent = sla.body.reverse.open;
      document.getElementById("reverse-sla-met").textContent = sla.body.reverse.metTotal;
      document.getElementById("reverse-sla-breached").textContent = sla.body.reverse.breachedTotal;
      renderVerdicts(sla.body);
      await loadRecords();
      document.getElementById("updated").textContent = "Updated " + new Date().toISOString() + "; refreshes every 10 s.";
    } catch (e) {
      document.getElementById("updated").textContent = "Could not reach the daemon: " + e;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("parked-filter").addEventListener("submit", e => { e.preventDefault(); loadRecords(); });
    document.getElementById("replay-selected").addEventListener("click", () => {
      const ids = [...document.querySelectorAll("#parked-records tbody input:checked")].map(c => Number(c.value));
      if (ids.length) replay({ids: ids});
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
