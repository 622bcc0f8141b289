"""The generic case runtime: subjects and their adapters, process bindings, routing (lane → office), the
operation catalogue of service tasks. Nothing here knows a step id: what a step does is in the BPMN."""
