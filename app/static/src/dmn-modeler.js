// Bundle for the DMN editor page: dmn-js Modeler (requirements diagram, decision table, literal expression)
// in the UI language. window.TierflowDmn.createModeler({container, locale}) → modeler

import DmnModeler from 'dmn-js/lib/Modeler';

import { translateModule } from './translate';

// each view gets the translation (dmn-js replaces `common.additionalModules` by a view's own)
function createModeler({ container, locale }) {
  const views = ['drd', 'decisionTable', 'literalExpression', 'boxedExpression'];
  const options = Object.fromEntries(views.map((view) => [view, { additionalModules: [translateModule(locale)] }]));
  return new DmnModeler({ container, ...options });
}

window.TierflowDmn = { createModeler };
