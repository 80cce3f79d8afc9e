// basewatch dashboard: maps (Leaflet), timeline (Chart.js). All text from the workspace is inserted with
// textContent or as DOM nodes, never as HTML, so hostile text in evidence stays inert.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent || "{}");
  const PALETTE = ["#e6550d", "#31a354", "#3182bd", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                   "#bcbd22", "#7f7f7f"];
  const colours = {};
  // Detection classes keep fixed colours (the same as the brief's image chips); chart series take the palette.
  const CLASS_COLOURS = { aircraft: "#e6550d", helicopter: "#31a354", vehicle: "#3182bd", ship: "#d62728" };
  function classColour(key) { return CLASS_COLOURS[key] || "#ecc94b"; }
  function colour(key) {
    key = key || "unknown";
    if (!(key in colours)) colours[key] = PALETTE[Object.keys(colours).length % PALETTE.length];
    return colours[key];
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function status(text) {
    const s = document.getElementById("map-status");
    if (s) s.textContent = text;
  }
  function reviewTable() {
    // The analyst's review on an evidence page: each button posts one action, then the page reloads with the
    // inventory rebuilt. The token is kept for this browser tab only.
    const table = document.getElementById("review");
    const token = document.getElementById("review-token");
    if (!table || !token) return;
    const who = document.getElementById("review-analyst");
    token.value = sessionStorage.getItem("basewatch-token") || "";
    who.value = sessionStorage.getItem("basewatch-analyst") || "";
    const say = function (t) { document.getElementById("review-status").textContent = t; };
    const send = function (url, body) {
      sessionStorage.setItem("basewatch-token", token.value);
      sessionStorage.setItem("basewatch-analyst", who.value);
      return fetch(url, { method: "POST", headers: { "Content-Type": "application/json",
                                                       "Authorization": "Bearer " + token.value },
                          body: body ? JSON.stringify(body) : null })
        .then(function (r) {
          return r.json().then(function (j) {
            if (!r.ok) throw new Error(j.error || (j.detail && JSON.stringify(j.detail)) || r.statusText);
            return j;
          });
        })
        .then(function () { window.location.reload(); })
        .catch(function (e) { say("Not done: " + e.message); });
    };
    const act = function (row, action, type) {
      const body = { evidence: table.dataset.evidence, action: action, detection: Number(row.dataset.detection) };
      if (type) body.type = type;
      if (who.value) body.analyst = who.value;
      return send("/api/reviews", body);
    };
    table.addEventListener("click", function (ev) {
      const b = ev.target.closest("button");
      if (!b) return;
      const row = b.closest("tr");
      if (b.dataset.undo) send("/api/reviews/" + encodeURIComponent(b.dataset.undo) + "/undo" +
                               (who.value ? "?analyst=" + encodeURIComponent(who.value) : ""));
      else act(row, b.dataset.action);
    });
    table.addEventListener("change", function (ev) {
      const s = ev.target;
      if (s.dataset.role === "type" && s.value) act(s.closest("tr"), "retype", s.value);
    });
  }
  reviewTable();
  if (typeof L === "undefined") return;  // vendor files missing: the page says so in a banner

  function newMap(id) {
    const map = L.map(id, { attributionControl: !!data.basemap, maxZoom: 21, zoomSnap: 1 });  // whole zooms: no hairline seams between tiles
    L.control.scale({ imperial: false }).addTo(map);
    if (data.basemap) {  // optional internet base map, off unless [web] basemap_url is set in basewatch.toml
      L.tileLayer(data.basemap.url, { maxZoom: 19, attribution: data.basemap.attribution || "" }).addTo(map);
    }
    return map;
  }
  function addSite(map, site, opts) {
    opts = opts || {};
    const aoi = L.geoJSON(site.aoi, { style: { color: "#2b6cb0", weight: 2, fill: opts.fill || false,
                                               fillOpacity: 0.08, className: "site-aoi" } }).addTo(map);
    if (opts.link) {
      const open = function () { window.location.href = "/sites/" + encodeURIComponent(site.id); };
      // A marker keeps the site visible and clickable when the map is zoomed out to several sites.
      const marker = L.circleMarker([site.lat, site.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#2b6cb0",
                                                           fillOpacity: 0.9, className: "site-marker" }).addTo(map);
      marker.bindTooltip(el("span", site.name), { permanent: true, direction: "right", offset: [10, 0],
                                                  className: "site-label" });
      marker.on("click", open);
      aoi.on("click", open);
    }
    (site.zones || []).forEach(function (z) {
      L.geoJSON(z.geometry, { style: { color: "#f6e05e", weight: 1, dashArray: "4 4", fill: false,
                                       className: "zone" } })
        .bindTooltip(el("span", z.name), { sticky: true }).addTo(map);
    });
    return aoi;
  }
  function imageLayer(im) {
    return L.tileLayer(im.tiles, { bounds: L.latLngBounds(im.bounds), maxNativeZoom: im.native_zoom,
                                   maxZoom: 21, className: "imagery" });
  }
  function popupFor(o) {
    const box = el("div", null, "popup");
    box.appendChild(el("strong", (o.type && o.type.id) || o.equipment_type_id || o["class"] || "object"));
    const rows = [["class", o["class"] || o.category], ["type p", o.type ? Math.round(o.type.p * 100) + " %" : null],
                  ["score", o.confidence !== null && o.confidence !== undefined ? o.confidence.toFixed(2) : null],
                  ["zone", o.zone_id], ["states", Object.keys(o.states || {}).filter(function (k) {
                    const v = o.states[k]; return v === true || (typeof v === "number" && v >= 0.5); }).join(", ") || o.state],
                  ["seen", o.observed_at], ["review", (o.review || []).join(", ")]];
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      const line = el("div"); line.appendChild(el("span", r[0] + ": ", "k")); line.appendChild(el("span", r[1]));
      box.appendChild(line);
    });
    if (o.evidence_id) {
      const a = el("a", "evidence " + o.evidence_id); a.href = "/evidence/" + encodeURIComponent(o.evidence_id);
      box.appendChild(a);
    }
    return box;
  }
  function loadDetections(map, group, evidenceId, container) {
    group.clearLayers();
    return fetch("/api/observations?kind=detection&evidence=" + encodeURIComponent(evidenceId))
      .then(function (r) { return r.json(); })
      .then(function (j) {
        let n = 0;
        const classes = [];
        (j.observations || []).forEach(function (o) {
          if (!o.geometry) return;
          const key = o["class"] || o.category || "unknown";
          if (classes.indexOf(key) < 0) classes.push(key);
          const rejected = (o.review || []).indexOf("reject") >= 0;  // kept on the map, greyed, so it can be undone
          const c = rejected ? "#a0aec0" : classColour(key);
          L.geoJSON(o.geometry, { style: { color: c, weight: 2, fillOpacity: rejected ? 0 : 0.15,
                                           dashArray: rejected ? "3 3" : null,
                                           className: rejected ? "detection rejected" : "detection" } })
            .bindPopup(popupFor(o)).addTo(group);
          n += 1;
        });
        container.dataset.detections = String(n);
        if (map._legend) map._legend(classes);
        return n;
      });
  }
  function legend(map, group) {
    // Which colour is which class, rebuilt whenever detections are (re)drawn.
    const ctl = L.control({ position: "topright" });
    ctl.onAdd = function () { return el("div", null, "legend"); };
    ctl.addTo(map);
    return function (classes) {
      const box = ctl.getContainer();
      box.textContent = "";
      box.appendChild(el("div", "site area", "key aoi"));
      box.appendChild(el("div", "zones", "key zone"));
      classes.forEach(function (c) {
        const row = el("div", c, "key");
        row.style.borderLeftColor = classColour(c);
        box.appendChild(row);
      });
    };
  }
  function fitTo(map, geo) {
    const b = L.geoJSON(geo).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
  }

  // -- pages --------------------------------------------------------------------------------------------
  function indexPage() {
    const node = document.getElementById("overview-map");
    const map = newMap(node);
    const sites = data.sites || [];
    // Set the view first: layers with permanent labels need one when they are added.
    const bounds = L.geoJSON({ type: "FeatureCollection", features: sites.map(function (s) {
      return { type: "Feature", geometry: s.aoi, properties: {} }; }) }).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [60, 60] });
    else map.setView([0, 0], 2);
    (data.images || []).forEach(function (im) { imageLayer(im).addTo(map); });
    sites.forEach(function (s) { addSite(map, s, { link: true, fill: true }); });
    node.dataset.sites = String(sites.length);
  }

  function sitePage() {
    const node = document.getElementById("site-map");
    const map = newMap(node);
    fitTo(map, data.site.aoi);
    let imagery = null;
    const detections = L.featureGroup().addTo(map);
    map._legend = legend(map);
    addSite(map, data.site);
    let first = true;
    const buttons = document.querySelectorAll("#image-picker button");
    function show(id) {
      const im = (data.images || []).find(function (i) { return i.id === id; });
      if (!im) return;
      if (imagery) map.removeLayer(imagery);
      imagery = imageLayer(im).addTo(map);
      imagery.bringToBack();
      buttons.forEach(function (b) { b.classList.toggle("active", b.dataset.image === id); });
      node.dataset.image = id;
      status("Loading detections of " + im.date + "...");
      loadDetections(map, detections, id, node).then(function (n) {
        if (first && n) map.fitBounds(detections.getBounds(), { padding: [60, 60], maxZoom: im.native_zoom });
        first = false;
        const what = im.date + (im.source ? " (" + im.source + ")" : "") + ": ";
        status(n ? what + n + " detections drawn. Zones dashed; click a detection for its type, score and evidence."
                 : what + "no detections stored for this image (run 'basewatch detect --evidence " + id + "').");
      });
    }
    buttons.forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.image); }); });
    if (data.images && data.images.length) show(data.images[data.images.length - 1].id);
    timeline();
  }

  let chart = null;
  function drawTimeline(canvas, tl) {
    const datasets = tl.series.map(function (s) {
      return { label: s.label, data: s.values, borderColor: colour(s.label), backgroundColor: colour(s.label),
               spanGaps: true, tension: 0.1, yAxisID: "y" };
    });
    datasets.push({ type: "bar", label: "claims (by event date)", data: tl.claims, yAxisID: "y2",
                    backgroundColor: "rgba(120,120,120,0.35)", borderColor: "#777", maxBarThickness: 18 });
    if (chart) chart.destroy();
    chart = new Chart(canvas, { type: "line", data: { labels: tl.dates, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: "count" } },
                  y2: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                        title: { display: true, text: "claims" }, ticks: { precision: 0 } } } } });
    canvas.dataset.ready = "1";
    canvas.dataset.by = tl.by;
  }

  function timeline() {
    const canvas = document.getElementById("timeline-chart");
    const tl = data.timeline;
    if (!canvas || !tl || !tl.dates.length || typeof Chart === "undefined") return;
    drawTimeline(canvas, tl);
    document.querySelectorAll("#timeline-by button").forEach(function (b) {
      b.addEventListener("click", function () {
        fetch("/api/sites/" + encodeURIComponent(data.site.id) + "/counts?by=" + encodeURIComponent(b.dataset.by))
          .then(function (r) { return r.json(); })
          .then(function (t) {
            drawTimeline(canvas, t);
            document.querySelectorAll("#timeline-by button").forEach(function (x) {
              x.classList.toggle("active", x === b); });
          });
      });
    });
  }

  function changePage() {
    const maps = [];
    const loads = [];
    const groups = [];
    ["a", "b"].forEach(function (k) {
      const node = document.getElementById("map-" + k);
      const map = newMap(node);
      fitTo(map, data.site.aoi);
      const im = data[k];
      if (im) imageLayer(im).addTo(map);
      addSite(map, data.site);
      const group = L.featureGroup().addTo(map);
      map._legend = legend(map);
      if (im) loads.push(loadDetections(map, group, im.id, node));
      groups.push(group);
      maps.push(map);
    });
    Promise.all(loads).then(function () {  // open on what was found, so both dates' objects are visible
      const b = L.latLngBounds([]);
      groups.forEach(function (g) { if (g.getLayers().length) b.extend(g.getBounds()); });
      const native = Math.min.apply(null, ["a", "b"].map(function (k) { return data[k] ? data[k].native_zoom : 21; }));
      if (b.isValid()) maps[0].fitBounds(b, { padding: [40, 40], maxZoom: native });
    });
    let syncing = false;
    maps.forEach(function (m, i) {
      m.on("moveend", function () {
        if (syncing) return;
        const other = maps[1 - i];
        if (other.getCenter().equals(m.getCenter()) && other.getZoom() === m.getZoom()) return;
        syncing = true;
        other.setView(m.getCenter(), m.getZoom(), { animate: false });
        syncing = false;
      });
    });
  }

  function evidencePage() {
    const node = document.getElementById("evidence-map");
    if (!node || !data.image) return;
    const map = newMap(node);
    map.fitBounds(L.latLngBounds(data.image.bounds));
    imageLayer(data.image).addTo(map);
    map._legend = legend(map);
    if (data.site) addSite(map, data.site);
    loadDetections(map, L.featureGroup().addTo(map), data.image.id, node);
  }

  const page = document.querySelector("[data-page]");
  const which = page ? page.dataset.page : null;
  if (which === "index") indexPage();
  else if (which === "site") sitePage();
  else if (which === "change") changePage();
  else if (which === "evidence") evidencePage();
})();
