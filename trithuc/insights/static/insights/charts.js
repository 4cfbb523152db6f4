/* Charts of the insights pages, drawn with ECharts from data the server put in the page.

   <div class="chart" data-chart="bar" data-source="chart-title"></div>
   <script type="application/json" id="chart-title">{"labels": [...], "series": [{"name": "...", "data": [...]}], "links": [...]}</script>

   Kinds: bar (horizontal bars), column, pie, line, timeline (dated points on a time axis),
   pyramid (two series, left and right),
   heatmap ({"rows": [...], "columns": [...], "cells": [[col, row, n], ...]}).
   A null figure is a hidden one (public page): no bar, and `missing` (e.g. "ẩn") in tooltips.
   A click on a bar, slice or cell follows `links[i]` (or `links[row][col]` for a heat map):
   the list of people behind the figure. Every chart has a table beside it in the page, so
   the figures stay readable without JavaScript and to screen readers. */
(function () {
  "use strict";
  var palette = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e", "#b45f06", "#3d85c6"];

  function follow(url) { if (url) { window.location.href = url; } }

  // A hidden figure (null: a small cell suppressed on the public page) reads `d.missing`.
  function hidden(v) { return v === null || v === undefined || v === "-" || (typeof v === "number" && isNaN(v)); }

  function option(kind, d) {
    var base = { color: palette, animation: false, tooltip: { trigger: kind === "pie" ? "item" : "axis", confine: true },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true } };
    if (d.series && d.series.length > 1) { base.legend = { top: 0 }; base.grid.top = 32; }
    if (kind === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "70%"], data: d.labels.map(function (l, i) { return { name: l, value: d.series[0].data[i] }; }),
        label: { formatter: "{b}: {c}" } }];
    } else if (kind === "bar" || kind === "column") {
      var cat = { type: "category", data: d.labels, axisLabel: { width: 180, overflow: "truncate" } };
      var val = { type: "value", minInterval: 1 };
      if (kind === "bar") { cat.inverse = true; base.xAxis = val; base.yAxis = cat; } else { base.xAxis = cat; base.yAxis = val; }
      base.series = d.series.map(function (s) { return { type: "bar", name: s.name, data: s.data, stack: d.stacked ? "all" : undefined }; });
    } else if (kind === "line") {
      base.xAxis = { type: "category", data: d.labels };
      base.yAxis = { type: "value", minInterval: 1 };
      base.series = d.series.map(function (s) { return { type: "line", name: s.name, data: s.data, symbolSize: 6, lineStyle: s.dashed ? { type: "dashed" } : undefined }; });
    } else if (kind === "timeline") {
      // {"series": [{"name", "data": [["YYYY-MM-DD", value], ...], "dashed"}], "unit": "%", "max": 100}
      var unit = d.unit ? " " + d.unit : "";
      base.xAxis = { type: "time" };
      base.yAxis = { type: "value", min: 0, max: d.max || undefined, axisLabel: { formatter: "{value}" + unit } };
      base.tooltip.valueFormatter = function (v) { return v === null || v === undefined ? "—" : v + unit; };
      base.series = d.series.map(function (s) { return { type: "line", name: s.name, data: s.data, symbolSize: 7, connectNulls: false,
        lineStyle: s.dashed ? { type: "dashed" } : undefined }; });
    } else if (kind === "pyramid") {
      base.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        return items.map(function (it) { return it.marker + it.seriesName + ": " + (hidden(it.value) ? d.missing || "–" : Math.abs(it.value)); }).join("<br>"); } };
      base.xAxis = { type: "value", axisLabel: { formatter: function (v) { return Math.abs(v); } } };
      base.yAxis = { type: "category", data: d.labels };
      base.series = d.series.map(function (s, i) {
        return { type: "bar", name: s.name, stack: "p", data: s.data.map(function (v) { return v === null ? null : i === 0 ? -v : v; }) }; });
    } else if (kind === "heatmap") {
      var max = 0; d.cells.forEach(function (c) { if (c[2] > max) { max = c[2]; } });
      base.tooltip = { trigger: "item", formatter: function (p) { return d.rows[p.value[1]] + " × " + d.columns[p.value[0]] + ": " + p.value[2]; } };
      base.xAxis = { type: "category", data: d.columns, axisLabel: { rotate: 30, width: 120, overflow: "truncate" } };
      base.yAxis = { type: "category", data: d.rows, inverse: true };
      base.visualMap = { min: 0, max: max || 1, calculable: false, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f3f6fb", "#0b5394"] } };
      base.grid.bottom = 48;
      base.series = [{ type: "heatmap", data: d.cells, label: { show: true } }];
    }
    if (d.missing && !base.tooltip.formatter && !base.tooltip.valueFormatter) {
      base.tooltip.valueFormatter = function (v) { return hidden(v) ? d.missing : v; };
    }
    return base;
  }

  function draw(el) {
    if (el.dataset.drawn) { return; }
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    el.dataset.drawn = "1";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(el.dataset.chart, d));
    chart.on("click", function (p) {
      if (!d.links) { return; }
      if (el.dataset.chart === "heatmap") { follow((d.links[p.value[1]] || [])[p.value[0]]); }
      else { follow(d.links[p.dataIndex]); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) { (root || document).querySelectorAll("[data-chart]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  // A panel fetched later (the trends): draw whatever is new in the page.
  document.addEventListener("htmx:afterSettle", function () { init(); });
  window.trithucCharts = { init: init };
})();
