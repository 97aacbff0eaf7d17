"""Judging (issue 18): the award's criteria and scale with their defaults, who judges what, and
a judge's scoring of one nomination as a small state machine of its own."""
