// Bundle for read-only diagrams (progress, cockpit, heat, the difference between two versions): bpmn-js
// NavigatedViewer with lane display names, and bpmn-js-differ.
// window.TierflowViewer.create({container, locale, tierflow}) → viewer
// window.TierflowViewer.diff(oldViewer, newViewer) → {added, removed, changed, layoutChanged}: id → element
// window.TierflowViewer.fit(canvas) → the whole diagram in view with a small margin, centred

import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff as differ } from 'bpmn-js-differ';

import lanes from './lanes';
import spiffworkflow from './spiffworkflow.json';
import { translateModule } from './translate';

function create({ container, locale, tierflow }) {
  return new NavigatedViewer({
    container,
    additionalModules: [lanes, translateModule(locale)],
    moddleExtensions: { spiffworkflow },
    tierflow: tierflow || {},
  });
}

function diff(oldViewer, newViewer) {
  const result = differ(oldViewer.getDefinitions(), newViewer.getDefinitions());
  return { added: result._added, removed: result._removed, changed: result._changed, layoutChanged: result._layoutChanged };
}

function fit(canvas, margin = 16) {
  canvas.zoom('fit-viewport');
  const { outer, inner, scale } = canvas.viewbox();
  if (!inner.width || !inner.height) return;
  const s = Math.min(scale, (outer.width - 2 * margin) / inner.width, (outer.height - 2 * margin) / inner.height);
  const x = inner.x - (outer.width / s - inner.width) / 2;
  const y = inner.y - (outer.height / s - inner.height) / 2;
  canvas.viewbox({ x, y, width: outer.width / s, height: outer.height / s });
}

window.TierflowViewer = { create, diff, fit };
