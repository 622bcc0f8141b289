// The difference between two versions on their diagrams (bpmn-js NavigatedViewer, Tierflow's viewer bundle):
// removed elements red on the old version, added ones green on the new, changed ones orange on both, elements
// only moved blue. The ids come from the server's model diff (what the lists below say), completed by
// bpmn-js-differ. The page carries #tf-diff-data: {old, new, added, removed, changed, locale, tierflow, messages}.

const data = JSON.parse(document.getElementById('tf-diff-data').textContent);

// the shape that shows `id`: itself, or the event that holds the event definition (a timer) with that id
function shapeOf(viewer, id) {
  const registry = viewer.get('elementRegistry');
  const direct = registry.get(id);
  if (direct) return direct;
  return registry.find((element) => (element.businessObject?.eventDefinitions || []).some((d) => d.id === id)) || null;
}

function mark(viewer, ids, marker) {
  const canvas = viewer.get('canvas');
  const done = new Set();
  for (const id of ids) {
    const shape = shapeOf(viewer, id);
    if (shape && !done.has(shape.id) && shape.type !== 'label') {
      canvas.addMarker(shape.id, marker);
      done.add(shape.id);
    }
  }
}

async function show() {
  const section = document.querySelector('[data-testid="visual-diff"]');
  try {
    const make = (side) => window.TierflowViewer.create({ container: `#tf-diff-${side}`, locale: data.locale, tierflow: data.tierflow });
    const oldViewer = make('old');
    const newViewer = make('new');
    await oldViewer.importXML(data.old);
    await newViewer.importXML(data.new);
    const found = window.TierflowViewer.diff(oldViewer, newViewer);
    const changed = new Set([...data.changed, ...Object.keys(found.changed)]);
    const added = new Set([...data.added, ...Object.keys(found.added)]);
    const removed = new Set([...data.removed, ...Object.keys(found.removed)]);
    const moved = Object.keys(found.layoutChanged).filter((id) => !changed.has(id) && !added.has(id));
    mark(oldViewer, removed, 'tf-diff-removed');
    mark(newViewer, added, 'tf-diff-added');
    mark(oldViewer, changed, 'tf-diff-changed');
    mark(newViewer, changed, 'tf-diff-changed');
    mark(oldViewer, moved, 'tf-diff-moved');
    mark(newViewer, moved, 'tf-diff-moved');
    [oldViewer, newViewer].forEach((viewer) => window.TierflowViewer.fit(viewer.get('canvas')));
    window.tierflowDiff = { oldViewer, newViewer, found };
    section.dataset.state = 'ready';
  } catch (err) {
    const message = document.getElementById('tf-diff-message');
    message.textContent = data.messages.load_failed.replace('{error}', err.message);
    message.hidden = false;
    section.dataset.state = 'failed';
  }
}

show();
