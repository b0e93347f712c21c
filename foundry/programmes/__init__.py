"""Programmes: workshops, insight sessions, career days and fairs, themed drives, mentoring
and landing activities; their sessions, and students' registrations with a waitlist."""
