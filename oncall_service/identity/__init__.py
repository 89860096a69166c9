"""People and access: users, their contact methods, teams (and, with sign-in, sessions and tokens).

Identity lives in the on-call service because it already owned the people (schedule members); schedules
refer to users by id. Other services learn who a caller is through this service's API, never its tables.
"""
