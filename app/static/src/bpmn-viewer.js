// Bundle for read-only diagrams (progress, cockpit, heat, the difference between two versions): bpmn-js
// NavigatedViewer with lane display names, and bpmn-js-differ.
// window.TierflowViewer.create({container, locale, tierflow}) → viewer
// window.TierflowViewer.diff(oldViewer, newViewer) → {added, removed, changed, layoutChanged}: id → element

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

window.TierflowViewer = { create, diff };
