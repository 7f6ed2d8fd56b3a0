"""The booking journey: service, time, the form, the confirmation and its calendar file."""


class BookingPages:
    pass
