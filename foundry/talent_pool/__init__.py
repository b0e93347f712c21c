"""Talent Pool: verified companies search opted-in students and invite them to apply."""
