"""The administrator's bookings, eligibility queue, coachees and staff."""


class AdminPeoplePages:
    pass
