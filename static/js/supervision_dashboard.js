// The supervision dashboard's charts (templates/supervision/dashboard.html): Apache ECharts draws
// them from the JSON the page embeds with json_script (#dashboard-charts). No inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element || !window.echarts) { return; }
    var chart = echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var colours = ["#198754", "#0d6efd", "#ffc107", "#dc3545"];
  if (data.grades.by === "grade") {
    // A town: a bar per grade, its villages in the tooltip (the table below lists them all).
    draw("chart-grades", {
      tooltip: {trigger: "item", confine: true, formatter: function (item) {
        var names = data.grades.units[item.dataIndex];
        var shown = names.slice(0, 30).join("、") + (names.length > 30 ? "…" : "");
        var lines = shown.match(/.{1,20}/g) || [];
        return [item.name + " " + item.value].concat(lines).map(echarts.format.encodeHTML).join("<br>");
      }},
      grid: {containLabel: true, left: 8, right: 8, bottom: 8},
      xAxis: {type: "category", data: data.grades.categories},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: data.grades.series[0].name, type: "bar", data: data.grades.series[0].data.map(function (value, index) {
        return {value: value, itemStyle: {color: colours[index]}};
      }), label: {show: true, position: "top"}}]
    });
  } else {
    // Above a town: a stacked bar per town.
    draw("chart-grades", {
      color: colours, tooltip: {trigger: "axis"}, legend: {},
      grid: {containLabel: true, left: 8, right: 8, bottom: 8},
      xAxis: {type: "category", data: data.grades.categories, axisLabel: {interval: 0, rotate: data.grades.categories.length > 6 ? 40 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: data.grades.series.map(function (s) { return {name: s.name, type: "bar", stack: "grades", data: s.data}; })
    });
  }
  draw("chart-trend", {
    color: colours.concat(["#6c757d"]), tooltip: {trigger: "axis"}, legend: {},
    grid: {containLabel: true, left: 8, right: 8, bottom: 8},
    xAxis: {type: "category", data: data.trend.periods},
    yAxis: [{type: "value", minInterval: 1}, {type: "value", min: 0, max: 100}],
    series: data.trend.series.map(function (s) { return {name: s.name, type: "bar", stack: "grades", data: s.data}; })
      .concat([{name: data.labels.average, type: "line", yAxisIndex: 1, data: data.trend.average}])
  });
  draw("chart-weakest", {
    color: ["#dc3545"], tooltip: {trigger: "axis"},
    grid: {containLabel: true, left: 8, right: 24, bottom: 8},
    xAxis: {type: "value"},
    yAxis: {type: "category", inverse: true, data: data.weakest.indicators},
    series: [{name: data.labels.lost, type: "bar", data: data.weakest.lost}]
  });
})();
