/* Charts of energy-data series with plotly.js (served from our static files). The data comes
   from a JSON data island next to each chart; the table and CSV link work without this file. */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var island = document.getElementById(el.getAttribute("data-chart"));
      if (!island) { return; }
      var data = JSON.parse(island.textContent);
      var trace = {
        x: data.x, y: data.y, type: "scatter", mode: "lines+markers",
        line: { color: "#0b5cad", width: 2 }, marker: { size: 5 },
        hovertemplate: "%{x}: %{y} " + data.unit.replace(/%/g, "%%") + "<extra></extra>"
      };
      var layout = {
        margin: { l: 56, r: 16, t: 16, b: 40 },
        yaxis: { title: { text: data.unit }, rangemode: "tozero", fixedrange: true },
        xaxis: { type: "date", fixedrange: true },
        font: { family: "system-ui, sans-serif", size: 13, color: "#1b1f24" },
        paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff", height: 320
      };
      window.Plotly.newPlot(el, [trace], layout, { displayModeBar: false, responsive: true });
    });
  }
  if (document.readyState !== "loading") { draw(); } else { document.addEventListener("DOMContentLoaded", draw); }
})();
