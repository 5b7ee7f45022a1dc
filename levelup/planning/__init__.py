"""The personal planner: pure functions of plain data, no Django and no ORM.

`core.plan` turns a roadmap, a learner's settings and progress into a week-by-week plan;
`forecast.forecast_finish` gives Monte Carlo finish dates; `calendar` renders ICS.
See docs/planning.md for the algorithm.
"""
