/* The chart of one meting of the weerbaarheidsprofiel. The numbers come from the JSON twin of the page
   (data-bron), never from an inline script (the CSP forbids those); the table on the page holds the same
   numbers, so the chart adds nothing a screen reader would miss. */
(function () {
  "use strict";
  var canvas = document.getElementById("profielgrafiek");
  if (!canvas || typeof Chart === "undefined") { return; }
  fetch(canvas.getAttribute("data-bron"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      var rows = data.ambities;
      var datasets = [{ label: "Meting " + data.meting.datum, data: rows.map(function (r) { return r.score; }),
                        backgroundColor: "#01689b" }];
      if (data.vorigeMeting) {
        datasets.push({ label: "Vorige meting " + data.vorigeMeting.datum, data: rows.map(function (r) { return r.vorige; }),
                        backgroundColor: "#a6c7de" });
      }
      canvas.parentNode.classList.add("kast-chart--drawn");
      new Chart(canvas, {
        type: "bar",
        data: { labels: rows.map(function (r) { return r.nummer; }), datasets: datasets },
        options: {
          indexAxis: "y", animation: false, maintainAspectRatio: false,
          scales: { x: { min: 0, max: data.groeimodel.hoogsteNiveau, ticks: { stepSize: 1 } } },
          plugins: { tooltip: { callbacks: { title: function (items) { return rows[items[0].dataIndex].nummer + " " + rows[items[0].dataIndex].naam; } } } }
        }
      });
    })
    .catch(function () { canvas.parentNode.hidden = true; });   /* the table still says everything */
}());
