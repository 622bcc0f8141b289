"""Serving enterprises (issue 14): the problems they raise (问题诉求) climb the service teams until solved.

- problems.py: raise, see, act (resolve / escalate / confirm / reopen), the timeline;
- adapter.py: the problem as a process subject (`workflows/problem.bpmn`), sector routing at every level.
"""
