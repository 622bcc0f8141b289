// Tierflow's group in the bpmn-js properties panel: what the process engine reads from the diagram, editable
// in the browser. The vocabulary (lanes, step kinds, operations…) comes from the server as config `tierflow`:
//   {laneNames: {key: label}, lanes: [{name, label}], stepKinds, decisions, outcomes, timerKinds, operations}
// (each a list of {name, label}; an operation also has params [{name, type, required}]).
//
// The diagram declares behaviour as (see app/engine/declarations.py):
// - spiffworkflow:properties / spiffworkflow:property name=… value=… (kind, decisions, deadline_working_days,
//   assignee, name_en, outcome, escalation, <decision>_label…)
// - spiffworkflow:serviceTaskOperator id=<operation> resultVariable=… with spiffworkflow:parameter id type value
// - spiffworkflow:calledDecisionId (business rule tasks)
// - bpmn:conditionExpression on sequence flows, bpmn:timerEventDefinition timeDate / timeDuration / timeCycle.

import { Group, SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextAreaEntryEdited,
  isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

import { laneDisplayName } from './lanes';

const MULTI = 'properties-panel.multi-command-executor';
const HUMAN = ['bpmn:UserTask', 'bpmn:ManualTask'];
const TIMER_TYPES = ['timeDate', 'timeDuration', 'timeCycle'];
// properties that have their own field; the others are listed under "Other properties"
const OWN = {
  human: ['kind', 'decisions', 'deadline_working_days', 'assignee', 'name_en'],
  timer: ['escalation', 'deadline_working_days', 'name_en'],
  end: ['outcome', 'name_en'],
  other: ['name_en'],
};

// --- reading and writing the declarations ---------------------------------------------------------------

function extensionValues(bo) {
  const ext = bo.get('extensionElements');
  return ext ? ext.get('values') : [];
}

function extension(bo, type) {
  return extensionValues(bo).find((value) => is(value, type));
}

export function getProperty(element, name) {
  const holder = extension(getBusinessObject(element), 'spiffworkflow:Properties');
  const found = holder && holder.get('properties').find((p) => p.name === name);
  return found ? found.value : undefined;
}

function propertyNames(element) {
  const holder = extension(getBusinessObject(element), 'spiffworkflow:Properties');
  return holder ? holder.get('properties').map((p) => p.name) : [];
}

function isEmpty(value) {
  return value === undefined || value === null || String(value).trim() === '';
}

// commands that give the business object an extension element of `type` (created by `create`), and that element
function ensureExtension(injector, element, type, create) {
  const bpmnFactory = injector.get('bpmnFactory');
  const bo = getBusinessObject(element);
  const commands = [];
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    commands.push({ cmd: 'element.updateModdleProperties',
      context: { element, moddleElement: bo, properties: { extensionElements: ext } } });
  }
  let found = ext.get('values').find((value) => is(value, type));
  if (!found) {
    found = create(bpmnFactory);
    found.$parent = ext;
    commands.push({ cmd: 'element.updateModdleProperties',
      context: { element, moddleElement: ext, properties: { values: [...ext.get('values'), found] } } });
  }
  return { commands, found };
}

function removeExtension(injector, element, type) {
  const bo = getBusinessObject(element);
  const ext = bo.get('extensionElements');
  const found = ext && ext.get('values').find((value) => is(value, type));
  if (found) {
    injector.get('modeling').updateModdleProperties(element, ext,
      { values: ext.get('values').filter((value) => value !== found) });
  }
}

export function setProperty(injector, element, name, value) {
  const modeling = injector.get('modeling');
  const holder = extension(getBusinessObject(element), 'spiffworkflow:Properties');
  const existing = holder && holder.get('properties').find((p) => p.name === name);
  if (isEmpty(value)) {
    if (existing) {
      modeling.updateModdleProperties(element, holder,
        { properties: holder.get('properties').filter((p) => p !== existing) });
    }
    return;
  }
  if (existing) {
    modeling.updateModdleProperties(element, existing, { value: String(value) });
    return;
  }
  const { commands, found } = ensureExtension(injector, element, 'spiffworkflow:Properties',
    (factory) => factory.create('spiffworkflow:Properties', { properties: [] }));
  const property = injector.get('bpmnFactory').create('spiffworkflow:Property', { name, value: String(value) });
  property.$parent = found;
  commands.push({ cmd: 'element.updateModdleProperties',
    context: { element, moddleElement: found, properties: { properties: [...found.get('properties'), property] } } });
  injector.get('commandStack').execute(MULTI, commands);
}

function calledDecision(element) {
  const found = extension(getBusinessObject(element), 'spiffworkflow:CalledDecisionId');
  return found ? (found.value || '').trim() : '';
}

function setCalledDecision(injector, element, value) {
  if (isEmpty(value)) {
    removeExtension(injector, element, 'spiffworkflow:CalledDecisionId');
    return;
  }
  const { commands, found } = ensureExtension(injector, element, 'spiffworkflow:CalledDecisionId',
    (factory) => factory.create('spiffworkflow:CalledDecisionId', { value }));
  if (!commands.length || found.value !== value) {
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: found, properties: { value } } });
  }
  injector.get('commandStack').execute(MULTI, commands);
}

function operator(element) {
  return extension(getBusinessObject(element), 'spiffworkflow:ServiceTaskOperator');
}

function operatorParameters(op) {
  const list = op && op.get('parameterList');
  return list ? list.get('parameters') : [];
}

function setOperation(injector, element, name, catalogue) {
  if (isEmpty(name)) {
    removeExtension(injector, element, 'spiffworkflow:ServiceTaskOperator');
    return;
  }
  const { commands, found } = ensureExtension(injector, element, 'spiffworkflow:ServiceTaskOperator',
    (factory) => factory.create('spiffworkflow:ServiceTaskOperator', { id: name }));
  const properties = { id: name };
  // parameters the new operation does not take go
  const known = (catalogue.find((op) => op.name === name) || { params: [] }).params.map((p) => p.name);
  const list = found.get('parameterList');
  if (list) {
    const kept = list.get('parameters').filter((p) => known.includes(p.id));
    if (kept.length !== list.get('parameters').length) {
      commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: list, properties: { parameters: kept } } });
    }
  }
  commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: found, properties } });
  injector.get('commandStack').execute(MULTI, commands);
}

function setParameter(injector, element, param, value) {
  const op = operator(element);
  if (!op) return;
  const modeling = injector.get('modeling');
  const bpmnFactory = injector.get('bpmnFactory');
  let list = op.get('parameterList');
  const existing = operatorParameters(op).find((p) => p.id === param.name);
  if (isEmpty(value)) {
    if (existing) modeling.updateModdleProperties(element, list, { parameters: list.get('parameters').filter((p) => p !== existing) });
    return;
  }
  if (existing) {
    modeling.updateModdleProperties(element, existing, { value, type: existing.type || param.type });
    return;
  }
  const commands = [];
  if (!list) {
    list = bpmnFactory.create('spiffworkflow:Parameters', { parameters: [] });
    list.$parent = op;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: op, properties: { parameterList: list } } });
  }
  const created = bpmnFactory.create('spiffworkflow:Parameter', { id: param.name, type: param.type, value });
  created.$parent = list;
  commands.push({ cmd: 'element.updateModdleProperties',
    context: { element, moddleElement: list, properties: { parameters: [...list.get('parameters'), created] } } });
  injector.get('commandStack').execute(MULTI, commands);
}

function timerDefinition(element) {
  const bo = getBusinessObject(element);
  return (bo.get('eventDefinitions') || []).find((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function timerType(definition) {
  return TIMER_TYPES.find((type) => definition.get(type)) || 'timeDate';
}

function setTimer(injector, element, type, body) {
  const definition = timerDefinition(element);
  const properties = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
  if (!isEmpty(body)) {
    const expression = injector.get('bpmnFactory').create('bpmn:FormalExpression', { body });
    expression.$parent = definition;
    properties[type] = expression;
  }
  injector.get('modeling').updateModdleProperties(element, definition, properties);
}

function setCondition(injector, element, body) {
  const modeling = injector.get('modeling');
  const bo = getBusinessObject(element);
  const existing = bo.get('conditionExpression');
  if (isEmpty(body)) {
    modeling.updateProperties(element, { conditionExpression: undefined });
  } else if (existing) {
    modeling.updateModdleProperties(element, existing, { body });
  } else {
    const expression = injector.get('bpmnFactory').create('bpmn:FormalExpression', { body });
    modeling.updateProperties(element, { conditionExpression: expression });
  }
}

function laneOf(element) {
  const bo = getBusinessObject(element);
  let node = bo.$parent;
  while (node && !is(node, 'bpmn:Process') && !is(node, 'bpmn:Participant')) node = node.$parent;
  const process = node && (is(node, 'bpmn:Participant') ? node.processRef : node);
  const lanes = [];
  const collect = (laneSets) => (laneSets || []).forEach((set) => (set.lanes || []).forEach((lane) => {
    lanes.push(lane);
    if (lane.childLaneSet) collect([lane.childLaneSet]);
  }));
  collect(process && process.laneSets);
  return lanes.find((lane) => (lane.flowNodeRef || []).includes(bo));
}

// --- entry components -------------------------------------------------------------------------------------

function options(list, current, translate, blank = true) {
  const found = (list || []).map((item) => ({ value: item.name, label: item.label ? `${item.name} · ${item.label}` : item.name }));
  if (!isEmpty(current) && !found.some((o) => o.value === current)) {
    found.unshift({ value: current, label: translate('(unknown: {value})', { value: current }) });
  }
  return blank ? [{ value: '', label: translate('(none)') }, ...found] : found;
}

function PropertyText(props) {
  const { element, id, name, label, description, validate } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element, id, label: translate(label), description: description && translate(description), debounce, validate,
    getValue: () => getProperty(element, name) || '',
    setValue: (value) => setProperty(injector, element, name, value),
  });
}

function PropertySelect(props) {
  const { element, id, name, label, list } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  return h(SelectEntry, {
    element, id, label: translate(label),
    getValue: () => getProperty(element, name) || '',
    setValue: (value) => setProperty(injector, element, name, value),
    getOptions: () => options(list, getProperty(element, name), translate),
  });
}

function Info(props) {
  const { id, label, text } = props;
  const translate = useService('translate');
  return h('div', { class: 'bio-properties-panel-entry tf-info', 'data-entry-id': id },
    h('div', { class: 'bio-properties-panel-label' }, translate(label)),
    h('div', { class: 'tf-info-value' }, text));
}

function LaneKey(props) {
  const { element, id, vocabulary } = props;
  const modeling = useService('modeling');
  const translate = useService('translate');
  const key = getBusinessObject(element).name || '';
  const shown = laneDisplayName(vocabulary.laneNames, key);
  return h(SelectEntry, {
    element, id, label: translate('Lane key'),
    description: shown ? translate('Shown as {label}. The key is kept in the XML; the process routes the step by it.', { label: shown }) : null,
    getValue: () => getBusinessObject(element).name || '',
    setValue: (value) => modeling.updateLabel(element, value),
    getOptions: () => options(vocabulary.lanes, key, translate),
  });
}

function deadlineValidate(translate) {
  return (value) => (isEmpty(value) || /^\d+$/.test(String(value).trim()) ? null
    : translate('Working days from the start of the step (holidays excluded).'));
}

function Condition(props) {
  const { element, id } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  return h(TextAreaEntry, {
    element, id, label: translate('Condition'), debounce, monospace: true, rows: 2,
    description: translate('A Python expression over the task data, e.g. decision == "approve".'),
    getValue: () => {
      const expression = getBusinessObject(element).get('conditionExpression');
      return expression ? expression.body || '' : '';
    },
    setValue: (value) => setCondition(injector, element, value),
  });
}

function TimerTypeEntry(props) {
  const { element, id } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  return h(SelectEntry, {
    element, id, label: translate('Timer type'),
    getValue: () => timerType(timerDefinition(element)),
    setValue: (type) => {
      const current = timerDefinition(element).get(timerType(timerDefinition(element)));
      setTimer(injector, element, type, current ? current.body : '');
    },
    getOptions: () => [
      { value: 'timeDate', label: translate('Date (timeDate)') },
      { value: 'timeDuration', label: translate('Duration (timeDuration)') },
      { value: 'timeCycle', label: translate('Cycle (timeCycle)') },
    ],
  });
}

function TimerExpression(props) {
  const { element, id } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element, id, label: translate('Timer expression'), debounce,
    description: translate('A Python expression, e.g. deadline("expert_review", -2) or a variable such as notice_ends.'),
    getValue: () => {
      const definition = timerDefinition(element);
      const expression = definition.get(timerType(definition));
      return expression ? expression.body || '' : '';
    },
    setValue: (value) => setTimer(injector, element, timerType(timerDefinition(element)), value),
  });
}

function DecisionRef(props) {
  const { element, id, vocabulary } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  return h(SelectEntry, {
    element, id, label: translate('Decision (DMN)'),
    getValue: () => calledDecision(element),
    setValue: (value) => setCalledDecision(injector, element, value),
    getOptions: () => options(vocabulary.decisions, calledDecision(element), translate),
  });
}

function Operation(props) {
  const { element, id, vocabulary } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  const current = () => (operator(element) ? operator(element).id || '' : '');
  return h(SelectEntry, {
    element, id, label: translate('Operation'),
    getValue: current,
    setValue: (value) => setOperation(injector, element, value, vocabulary.operations || []),
    getOptions: () => options(vocabulary.operations, current(), translate),
  });
}

function ResultVariable(props) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  return h(TextFieldEntry, {
    element, id, label: translate('Result variable'), debounce,
    getValue: () => (operator(element) ? operator(element).resultVariable || '' : ''),
    setValue: (value) => modeling.updateModdleProperties(element, operator(element),
      { resultVariable: isEmpty(value) ? undefined : value }),
  });
}

function Parameter(props) {
  const { element, id, param } = props;
  const injector = useService('injector');
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const get = () => {
    const found = operatorParameters(operator(element)).find((p) => p.id === param.name);
    return found ? found.value || '' : '';
  };
  return h(TextFieldEntry, {
    element, id, debounce, description: param.label,
    label: translate('Parameter {name} ({type})', { name: param.name, type: param.type }),
    getValue: get,
    setValue: (value) => setParameter(injector, element, param, value),
  });
}

// --- the group ---------------------------------------------------------------------------------------------

function propertyEntry(element, name, label, extra = {}) {
  return { id: `tf-${name}`, name, label, component: PropertyText, isEdited: isTextFieldEntryEdited, element, ...extra };
}

function entries(element, vocabulary, translate) {
  const bo = getBusinessObject(element);
  const found = [];
  let own = OWN.other;
  if (is(element, 'bpmn:Lane')) {
    found.push({ id: 'tf-lane', component: LaneKey, isEdited: isSelectEntryEdited, vocabulary });
    return found;
  }
  if (is(element, 'bpmn:FlowNode')) {
    const lane = laneOf(element);
    if (lane) {
      const shown = laneDisplayName(vocabulary.laneNames, lane.name);
      found.push({ id: 'tf-task-lane', component: Info, label: 'Lane', text: shown ? `${shown} (${lane.name})` : lane.name || lane.id });
    }
  }
  if (HUMAN.some((type) => is(element, type))) {
    own = OWN.human;
    found.push(
      { id: 'tf-kind', name: 'kind', label: 'Step kind', component: PropertySelect, isEdited: isSelectEntryEdited, list: vocabulary.stepKinds },
      propertyEntry(element, 'decisions', 'Decisions offered', { description: 'Comma-separated, e.g. approve,return,reject' }),
      propertyEntry(element, 'deadline_working_days', 'Deadline (working days)', {
        description: 'Working days from the start of the step (holidays excluded).', validate: deadlineValidate(translate) }),
      propertyEntry(element, 'assignee', 'Assignee (task data item)'),
      propertyEntry(element, 'name_en', 'English name'),
    );
  } else if (is(element, 'bpmn:BusinessRuleTask')) {
    found.push({ id: 'tf-decision-ref', component: DecisionRef, isEdited: isSelectEntryEdited, vocabulary });
  } else if (is(element, 'bpmn:ServiceTask')) {
    found.push({ id: 'tf-operation', component: Operation, isEdited: isSelectEntryEdited, vocabulary });
    const op = operator(element);
    if (op) {
      found.push({ id: 'tf-result-variable', component: ResultVariable, isEdited: isTextFieldEntryEdited });
      const spec = (vocabulary.operations || []).find((o) => o.name === op.id);
      const params = spec ? [...spec.params] : [];
      operatorParameters(op).forEach((p) => {
        if (!params.some((q) => q.name === p.id)) params.push({ name: p.id, type: p.type || 'str' });
      });
      params.forEach((param) => found.push({ id: `tf-param-${param.name}`, component: Parameter, isEdited: isTextFieldEntryEdited, param }));
    }
  } else if (is(element, 'bpmn:SequenceFlow')) {
    const source = bo.sourceRef;
    if (source && source.default === bo) {
      found.push({ id: 'tf-condition', component: Info, label: 'Condition', text: translate('This is the default flow of its gateway: it needs no condition.') });
    } else {
      found.push({ id: 'tf-condition', component: Condition, isEdited: isTextAreaEntryEdited });
    }
  } else if (is(element, 'bpmn:Event') && timerDefinition(element)) {
    own = OWN.timer;
    found.push(
      { id: 'tf-timer-type', component: TimerTypeEntry, isEdited: isSelectEntryEdited },
      { id: 'tf-timer', component: TimerExpression, isEdited: isTextFieldEntryEdited },
      { id: 'tf-escalation', name: 'escalation', label: 'Escalation kind', component: PropertySelect, isEdited: isSelectEntryEdited, list: vocabulary.timerKinds },
      propertyEntry(element, 'deadline_working_days', 'Deadline (working days)', {
        description: 'Working days from the start of the step (holidays excluded).', validate: deadlineValidate(translate) }),
      propertyEntry(element, 'name_en', 'English name'),
    );
  } else if (is(element, 'bpmn:EndEvent')) {
    own = OWN.end;
    found.push(
      { id: 'tf-outcome', name: 'outcome', label: 'Outcome', component: PropertySelect, isEdited: isSelectEntryEdited, list: vocabulary.outcomes },
      propertyEntry(element, 'name_en', 'English name'),
    );
  } else if (is(element, 'bpmn:FlowNode')) {
    found.push(propertyEntry(element, 'name_en', 'English name'));
  }
  // the element's other declared properties (e.g. approve_label, context, level), each editable
  if (is(element, 'bpmn:FlowNode')) {
    propertyNames(element).filter((name) => name && !own.includes(name)).forEach((name) => {
      found.push({ ...propertyEntry(element, name, name), id: `tf-prop-${name}` });
    });
  }
  return found;
}

export class TierflowPropertiesProvider {
  constructor(propertiesPanel, injector, config) {
    propertiesPanel.registerProvider(400, this);
    this._vocabulary = config || {};
    this._translate = injector.get('translate');
  }

  getGroups(element) {
    return (groups) => {
      // Tierflow's group edits timers as expressions (the standard group speaks of ISO 8601 only); every group
      // gets the translation for its own buttons ("Toggle section"…)
      const kept = groups.filter((group) => group.id !== 'timer')
        .map((group) => ({ translate: this._translate, ...group }));
      const found = entries(element, this._vocabulary, this._translate);
      if (found.length) {
        kept.splice(Math.min(1, kept.length), 0,
          { id: 'tierflow', label: this._translate('Tierflow'), component: Group, entries: found, shouldOpen: true,
            translate: this._translate });
      }
      return kept;
    };
  }
}

TierflowPropertiesProvider.$inject = ['propertiesPanel', 'injector', 'config.tierflow'];

export default {
  __init__: ['tierflowPropertiesProvider'],
  tierflowPropertiesProvider: ['type', TierflowPropertiesProvider],
};
