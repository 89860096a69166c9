"""Escalation policies: a team's ordered steps, and their chain of people at a given time.

The on-call service describes policies and answers who a step reaches; it holds
no timer. Incident management keeps each incident's place in its policy and runs
the steps as due work.
"""
