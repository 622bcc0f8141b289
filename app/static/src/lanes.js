// Lanes keep their English keys in the XML (county, city, province…): the process routes a step by its lane's
// name. On screen a lane shows its display name instead (县级, 市级…), given as config `tierflow.laneNames`.

import BaseRenderer from 'diagram-js/lib/draw/BaseRenderer';

const HIGH_PRIORITY = 1500;

// the lane as the default renderer should draw it: the same shape with the display name as its name
function displayed(element, name) {
  const bo = element.businessObject;
  const shown = Object.create(bo, {
    name: { value: name },
    get: { value: (key) => (key === 'name' ? name : bo.get(key)) },
  });
  const view = Object.create(element);
  view.businessObject = shown;
  return view;
}

export function laneDisplayName(names, key) {
  return (key && names && Object.prototype.hasOwnProperty.call(names, key)) ? names[key] : null;
}

class LaneNameRenderer extends BaseRenderer {
  constructor(config, eventBus, bpmnRenderer) {
    super(eventBus, HIGH_PRIORITY);
    this._names = (config && config.laneNames) || {};
    this._renderer = bpmnRenderer;
  }

  canRender(element) {
    return element.type === 'bpmn:Lane' && !element.labelTarget
      && laneDisplayName(this._names, element.businessObject && element.businessObject.name) !== null;
  }

  drawShape(parentGfx, element, attrs) {
    const name = laneDisplayName(this._names, element.businessObject.name);
    const gfx = this._renderer.drawShape(parentGfx, displayed(element, name), attrs);
    parentGfx.setAttribute('data-lane-key', element.businessObject.name);
    return gfx;
  }

  getShapePath(shape) {
    return this._renderer.getShapePath(shape);
  }
}

LaneNameRenderer.$inject = ['config.tierflow', 'eventBus', 'bpmnRenderer'];

export default {
  __init__: ['tierflowLaneNameRenderer'],
  tierflowLaneNameRenderer: ['type', LaneNameRenderer],
};
