// Read-only process diagrams (bpmn-js NavigatedViewer in Tierflow's viewer bundle: lanes show their display names): where one application stands, or a version's heat.
//
// <div data-tf-diagram data-mode="instance|heat" data-src="/applications/1/diagram.json" (or data-json="script id")
//      data-assets='{"css": [...], "js": "..."}' data-locale="zh|en" data-tierflow='{"laneNames": {...}}'
//      data-failed="… {error}">
//   <div class="tf-diagram-canvas"></div> <div class="tf-diagram-message"></div>
// </div>
// The viewer's script and styles load on first use; inside a collapsed section the diagram is drawn when the
// section opens (bpmn-js needs a visible container to fit the diagram).

const loading = {};

function loadScript(src) {
  if (!loading[src]) {
    loading[src] = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.append(script);
    });
  }
  return loading[src];
}

function loadCss(href) {
  if (!document.querySelector(`link[href="${href}"]`)) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.append(link);
  }
}

async function diagramData(el) {
  if (el.dataset.json) {
    return JSON.parse(document.getElementById(el.dataset.json).textContent);
  }
  const response = await fetch(el.dataset.src, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || String(response.status));
  return body;
}

function markInstance(viewer, data) {
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  const mark = (id, marker) => { if (registry.get(id)) canvas.addMarker(id, marker); };
  (data.completed || []).forEach((id) => mark(id, 'tf-done'));
  (data.flows || []).forEach((id) => mark(id, 'tf-flow'));
  (data.waiting || []).forEach((id) => mark(id, data.status === 'suspended' ? 'tf-suspended' : 'tf-waiting'));
}

// 0 (nobody waits) … 4 (the busiest step); the scale reaches 4 only from four waiting instances on
function heatLevel(count, max) {
  return count ? Math.min(4, Math.max(1, Math.ceil((4 * count) / Math.max(max, 4)))) : 0;
}

function markHeat(viewer, data) {
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const counts = data.counts || {};
  const max = Math.max(1, ...Object.values(counts));
  const steps = registry.filter((e) => e.type === 'bpmn:UserTask' || (e.type !== 'label' && counts[e.id]));
  for (const element of steps) {
    const count = counts[element.id] || 0;
    const level = heatLevel(count, max);
    canvas.addMarker(element.id, `tf-heat-${level}`);
    const badge = document.createElement('span');
    badge.className = `tf-heat-badge tf-heat-badge-${level}`;
    badge.dataset.step = element.id;
    badge.dataset.count = String(count);
    badge.textContent = String(count);
    overlays.add(element.id, 'tf-heat', { position: { top: -10, right: 14 }, html: badge });
  }
}

// a wide diagram needs less height than the container's CSS maximum
function shrinkToDiagram(container, canvas, margin = 32) {
  const { inner } = canvas.viewbox();
  if (!inner.width || !inner.height) return;
  const wanted = (container.clientWidth - margin) * (inner.height / inner.width) + margin;
  if (wanted < container.clientHeight) {
    container.style.height = `${Math.max(240, Math.ceil(wanted))}px`;
    canvas.resized();
  }
}

async function draw(el) {
  if (el.dataset.state) return;
  el.dataset.state = 'loading';
  const message = el.querySelector('.tf-diagram-message');
  try {
    const assets = JSON.parse(el.dataset.assets);
    (assets.css || []).forEach(loadCss);
    const [data] = await Promise.all([diagramData(el), window.TierflowViewer ? null : loadScript(assets.js)]);
    if (!data.xml) {
      el.dataset.state = 'empty';
      if (message) message.hidden = false;
      return;
    }
    const container = el.querySelector('.tf-diagram-canvas');
    const viewer = window.TierflowViewer.create({ container, locale: el.dataset.locale,
      tierflow: JSON.parse(el.dataset.tierflow || '{}') });
    await viewer.importXML(data.xml);
    shrinkToDiagram(container, viewer.get('canvas'));
    window.TierflowViewer.fit(viewer.get('canvas'));
    if (el.dataset.mode === 'heat') markHeat(viewer, data);
    else markInstance(viewer, data);
    el.tierflowViewer = viewer;
    window.tierflowViewer = viewer;
    el.dataset.state = 'ready';
  } catch (err) {
    el.dataset.state = 'failed';
    if (message) {
      message.textContent = (el.dataset.failed || '{error}').replace('{error}', err.message);
      message.hidden = false;
    }
  }
}

for (const el of document.querySelectorAll('[data-tf-diagram]')) {
  const section = el.closest('.collapse');
  if (section && !section.classList.contains('show')) {
    section.addEventListener('shown.bs.collapse', () => draw(el), { once: true });
  } else {
    draw(el);
  }
}
