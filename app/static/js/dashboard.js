// The dashboard's charts (ECharts). Data: the page's JSON block #dashboard-data, one entry per chart with
// labels, values and the drill-down link of every bar; clicking a bar or slice opens the list behind it.
(function () {
  const block = document.getElementById('dashboard-data');
  if (!block || typeof echarts === 'undefined') return;
  const data = JSON.parse(block.textContent);
  const charts = [];

  function draw(id, option, links) {
    const el = document.getElementById('chart-' + id);
    if (!el) return;
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.on('finished', () => { el.dataset.drawn = 'true'; });  // drawn, its opening animation over
    chart.setOption(option);
    chart.on('click', (params) => {
      const link = links && links[params.dataIndex];
      if (link) window.location.href = link;
    });
    charts.push(chart);
  }

  function bars(id, d, horizontal) {
    const category = { type: 'category', data: d.labels, axisLabel: { interval: 0, width: 110, overflow: 'truncate' } };
    const value = { type: 'value', minInterval: 1 };
    draw(id, {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: horizontal ? 120 : 50, right: 20, bottom: 40, top: 20 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: [{ type: 'bar', data: d.values, cursor: 'pointer', itemStyle: { color: '#0d6efd' } }],
    }, d.links);
  }

  const t = data.targets;
  if (t && t.labels.length) {
    draw('targets', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [t.series.actual, t.series.expected, t.series.target] },
      grid: { left: 60, right: 20, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: t.labels, axisLabel: { interval: 0, width: 120, overflow: 'truncate' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t.series.actual, type: 'bar', cursor: 'pointer',
          data: t.actual.map((v, i) => ({ value: v, itemStyle: { color: t.colors[i] } })) },
        { name: t.series.expected, type: 'bar', data: t.expected, itemStyle: { color: '#ced4da' } },
        { name: t.series.target, type: 'bar', data: t.target, itemStyle: { color: '#6c757d' } },
      ],
    }, t.links);
  }
  bars('tiers', data.tiers, false);
  bars('regions', data.regions, true);
  bars('years', data.years, false);
  if (data.sectors.labels.length) {
    draw('sectors', {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '70%'], cursor: 'pointer',
                 data: data.sectors.labels.map((name, i) => ({ name: name, value: data.sectors.values[i] })) }],
    }, data.sectors.links);
  }
  const s = data.steps;
  if (s.labels.length) {
    draw('steps', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [s.series.open, s.series.overdue] },
      grid: { left: 50, right: 20, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: s.labels, axisLabel: { interval: 0, width: 110, overflow: 'truncate' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: s.series.open, type: 'bar', data: s.values, cursor: 'pointer', itemStyle: { color: '#0d6efd' } },
        { name: s.series.overdue, type: 'bar', data: s.overdue, itemStyle: { color: '#dc3545' } },
      ],
    }, s.links);
  }
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
})();
