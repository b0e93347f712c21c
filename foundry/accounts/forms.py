"""Forms for signing in and out."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired


class DemoSignInForm(FlaskForm):
    user_id = IntegerField(validators=[DataRequired()])
    next = HiddenField()


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST so another site cannot trigger it."""
