"""A coach's calendar, a booking's notes and outcome, and their own hours."""


class CoachPages:
    pass
