"""A coachee's own bookings: cancel, reschedule, attachments and feedback."""


class MyBookingPages:
    pass
