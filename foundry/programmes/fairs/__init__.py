"""Career days and recruitment fairs: exhibitors and booths, slots and bookings, and what
happens at the booth (see models.py)."""
