// The definition editor: bpmn-js (or dmn-js) Modeler on the page, "save draft" and "deploy" to the server,
// the deploy-time problems listed and marked on the canvas, and the names panel (lane names rename lanes).
// The page carries its data as JSON in #tf-editor-data: {key, kind, xml, based_on, draft, urls, messages}.

const data = JSON.parse(document.getElementById('tf-editor-data').textContent);
const M = data.messages;
const isDmn = data.kind === 'dmn';
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const statusEl = document.getElementById('tf-status');
const saveButton = document.getElementById('tf-save');
const deployButton = document.getElementById('tf-deploy');

// Tierflow's bundles (app/static/src): the modeler in the UI language; BPMN with the properties panel
const modeler = isDmn
  ? window.TierflowDmn.createModeler({ container: '#tf-canvas', locale: data.locale })
  : window.TierflowBpmn.createModeler({ container: '#tf-canvas', propertiesParent: '#tf-properties',
    locale: data.locale, tierflow: data.tierflow });
window.tierflowModeler = modeler; // for scripted use (and the browser tests)

let dirty = false;
let marked = [];

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : ''));
}

function say(text, tone = 'secondary') {
  statusEl.textContent = text;
  statusEl.className = `small text-truncate tf-status text-${tone}`;
  statusEl.title = text;
}

// the viewer that has a canvas now: the modeler itself for BPMN, the active view of dmn-js (DRD or table)
function activeViewer() {
  return isDmn ? modeler.getActiveViewer() : modeler;
}

function service(name) {
  const viewer = activeViewer();
  try {
    return viewer ? viewer.get(name) : null;
  } catch (err) {
    return null; // e.g. no canvas in the decision-table view
  }
}

function trackChanges() {
  const viewer = activeViewer();
  if (viewer && !viewer.__tfTracked) {
    viewer.__tfTracked = true;
    viewer.on('commandStack.changed', () => { dirty = true; });
  }
}

// the whole diagram in view, left of it room for the palette
function fitBesidePalette(canvas, room = 80, margin = 20) {
  canvas.zoom('fit-viewport');
  const { outer, inner, scale } = canvas.viewbox();
  if (!inner.width || !inner.height) return;
  const fit = Math.min(scale, (outer.width - room - margin) / inner.width, (outer.height - 2 * margin) / inner.height);
  canvas.viewbox({ x: inner.x - room / fit, y: inner.y - margin / fit, width: outer.width / fit, height: outer.height / fit });
}

async function load() {
  try {
    await modeler.importXML(data.xml);
  } catch (err) {
    say(fill(M.load_failed, { error: err.message }), 'danger');
    return;
  }
  if (isDmn) {
    modeler.on('views.changed', () => { trackChanges(); });
    // a rule set is one decision table: open it rather than the requirements diagram
    const table = modeler.getViews().find((view) => view.type === 'decisionTable');
    if (table && modeler.getViews().filter((view) => view.type === 'decisionTable').length === 1) {
      await modeler.open(table);
    }
  } else {
    fitBesidePalette(modeler.get('canvas'));
  }
  trackChanges();
  document.body.dataset.editorReady = 'true';
}

async function currentXml() {
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken },
    body: JSON.stringify(body),
  });
  let payload = null;
  try {
    payload = await response.json();
  } catch (err) {
    payload = null; // an HTML page: an error page (expired form) or the log-in page (session ended)
  }
  return { response, payload };
}

function busy(on) {
  saveButton.disabled = on;
  deployButton.disabled = on;
}

async function saveDraft() {
  busy(true);
  say(M.saving);
  try {
    const { response, payload } = await post(data.urls.draft, { xml: await currentXml(), based_on: data.based_on });
    if (response.ok && payload) {
      dirty = false;
      say(payload.message, 'success');
    } else {
      say(payload?.error?.message || fill(M.failed, { status: response.status }), 'danger');
    }
  } catch (err) {
    say(err.message, 'danger');
  } finally {
    busy(false);
  }
}

function clearProblems() {
  const canvas = service('canvas');
  for (const id of marked) {
    if (canvas) canvas.removeMarker(id, 'tf-problem');
  }
  marked = [];
  document.querySelectorAll('.tf-problem-cell').forEach((el) => el.classList.remove('tf-problem-cell'));
  document.getElementById('tf-problems').hidden = true;
  document.getElementById('tf-problem-list').replaceChildren();
}

function markProblem(id) {
  const registry = service('elementRegistry');
  const canvas = service('canvas');
  if (registry && canvas && registry.get(id)) {
    canvas.addMarker(id, 'tf-problem');
    marked.push(id);
    return true;
  }
  // decision table views: the column or row of an input, output or rule
  const cells = document.querySelectorAll(`[data-col-id="${CSS.escape(id)}"], [data-row-id="${CSS.escape(id)}"]`);
  cells.forEach((el) => el.classList.add('tf-problem-cell'));
  return cells.length > 0;
}

function focusElement(id) {
  const registry = service('elementRegistry');
  const element = registry && registry.get(id);
  if (!element) return;
  service('selection').select(element);
  const canvas = service('canvas');
  if (canvas.scrollToElement) canvas.scrollToElement(element);
}

function showProblems(message, problems) {
  clearProblems();
  document.getElementById('tf-problems-title').textContent = message;
  const list = document.getElementById('tf-problem-list');
  for (const problem of problems) {
    const item = document.createElement('li');
    item.className = 'list-group-item';
    item.dataset.code = problem.code;
    const where = document.createElement('div');
    where.className = 'fw-semibold font-monospace';
    const id = problem.element;
    where.textContent = id ? (problem.element_name && problem.element_name !== id ? `${id} · ${problem.element_name}` : id)
      : M.no_element;
    const text = document.createElement('div');
    text.textContent = problem.message;
    item.append(where, text);
    if (id) {
      item.dataset.element = id;
      if (markProblem(id)) {
        item.classList.add('list-group-item-action');
        item.role = 'button';
        item.addEventListener('click', () => focusElement(id));
      }
    }
    list.append(item);
  }
  document.getElementById('tf-problems').hidden = false;
}

async function deploy() {
  busy(true);
  say(M.deploying);
  document.getElementById('tf-result').hidden = true;
  try {
    const comment = document.getElementById('tf-comment').value;
    const { response, payload } = await post(data.urls.deploy, { xml: await currentXml(), comment });
    if (response.status === 201 && payload) {
      clearProblems();
      dirty = false;
      say(payload.message, 'success');
      document.getElementById('tf-result-text').textContent = payload.message;
      document.getElementById('tf-result').hidden = false;
      window.setTimeout(() => { window.location.assign(payload.redirect); }, 700);
      return;
    }
    if (response.status === 422 && payload) {
      say(M.problems, 'danger');
      showProblems(M.problems, payload.problems.length ? payload.problems
        : [{ code: payload.error.code, element: null, message: payload.error.message }]);
    } else {
      say(payload?.error?.message || fill(M.failed, { status: response.status }), 'danger');
    }
  } catch (err) {
    say(err.message, 'danger');
  }
  busy(false);
}

async function copy(name) {
  try {
    await navigator.clipboard.writeText(name);
  } catch (err) {
    // no clipboard (insecure context): the status line still shows the name
  }
  say(fill(M.copied, { name }), 'secondary');
}

function useName(button) {
  const { name, kind } = button.dataset;
  if (kind === 'lane' && !isDmn) {
    const lanes = modeler.get('selection').get().filter((element) => element.type === 'bpmn:Lane');
    if (!lanes.length) {
      say(M.select_lane, 'warning');
      return;
    }
    const modeling = modeler.get('modeling');
    lanes.forEach((lane) => modeling.updateLabel(lane, name));
    say(fill(M.renamed, { name }), 'success');
    return;
  }
  copy(name);
}

document.querySelectorAll('.tf-names [data-name]').forEach((button) => {
  button.addEventListener('click', () => useName(button));
});
saveButton.addEventListener('click', saveDraft);
deployButton.addEventListener('click', deploy);
window.addEventListener('beforeunload', (event) => {
  if (dirty) {
    event.preventDefault();
    event.returnValue = M.unsaved;
  }
});

load();
