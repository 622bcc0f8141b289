// Bundle for the BPMN editor page: bpmn-js Modeler with the properties panel, Tierflow's properties group,
// lane display names, the SpiffWorkflow extension elements and the UI language.
// window.TierflowBpmn.createModeler({container, propertiesParent, locale, tierflow}) → modeler

import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';

import lanes from './lanes';
import properties from './properties';
import spiffworkflow from './spiffworkflow.json';
import { translateModule } from './translate';

function createModeler({ container, propertiesParent, locale, tierflow }) {
  return new BpmnModeler({
    container,
    propertiesPanel: propertiesParent ? { parent: propertiesParent } : undefined,
    additionalModules: [
      ...(propertiesParent ? [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, properties] : []),
      lanes, translateModule(locale),
    ],
    moddleExtensions: { spiffworkflow },
    tierflow: tierflow || {},
  });
}

window.TierflowBpmn = { createModeler };
