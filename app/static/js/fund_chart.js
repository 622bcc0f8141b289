// The fund page's bar chart (ECharts): committed and paid per year and tier (or trigger), in 10,000 yuan.
// The data comes from the page's JSON block #fund-chart-data: {rows: [{label, committed_wan, paid_wan}],
// series: {committed, paid}, unit}.
(function () {
  const el = document.getElementById('fund-chart');
  const block = document.getElementById('fund-chart-data');
  if (!el || !block || typeof echarts === 'undefined') return;
  const data = JSON.parse(block.textContent);
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [data.series.committed, data.series.paid] },
    grid: { left: 60, right: 20, bottom: 40, top: 50 },
    xAxis: { type: 'category', data: data.rows.map((row) => row.label) },
    yAxis: { type: 'value', name: data.unit },
    series: [
      { name: data.series.committed, type: 'bar', data: data.rows.map((row) => row.committed_wan) },
      { name: data.series.paid, type: 'bar', data: data.rows.map((row) => row.paid_wan) },
    ],
  });
  el.dataset.drawn = 'true';
  window.addEventListener('resize', () => chart.resize());
})();
