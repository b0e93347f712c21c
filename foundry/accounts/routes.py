"""Sign-in, sign-out and the development-only demo sign-in."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from foundry.accounts.forms import DemoSignInForm, SignOutForm
from foundry.accounts.models import User
from foundry.accounts.services import demo_users_by_role, sign_in, sign_out
from foundry.extensions import db
from foundry.web import safe_next_url

bp = Blueprint("accounts", __name__)


def _demo_enabled_or_404() -> None:
    if not current_app.config.get("DEMO_SIGN_IN"):
        abort(404)


@bp.get("/sign-in", endpoint="sign_in")
def sign_in_page():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    next_url = safe_next_url(request.args.get("next"), "")
    if current_app.config.get("DEMO_SIGN_IN"):
        return redirect(url_for("accounts.demo_sign_in", next=next_url or None))
    return render_template("accounts/sign_in.html")


@bp.route("/demo/sign-in", methods=["GET", "POST"])
def demo_sign_in():
    _demo_enabled_or_404()
    form = DemoSignInForm()
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        if user is None or not user.is_active:
            flash(_("That demo user no longer exists. Pick another."), "danger")
            return redirect(url_for("accounts.demo_sign_in")), 303
        sign_in(user, method="demo")
        db.session.commit()
        flash(_("Signed in as %(name)s.", name=user.display_name), "success")
        return redirect(safe_next_url(form.next.data, url_for("core.home")), 303)
    if request.method == "POST":
        return render_template(
            "accounts/demo_sign_in.html", groups=demo_users_by_role(), form=form
        ), 400
    form.next.data = safe_next_url(request.args.get("next"), "")
    return render_template("accounts/demo_sign_in.html", groups=demo_users_by_role(), form=form)


@bp.post("/sign-out")
@login_required
def sign_out_view():
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    sign_out(current_user._get_current_object())
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.home"), 303)
