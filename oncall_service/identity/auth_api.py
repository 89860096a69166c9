"""HTTP resources of signing in: log in and out, who am I, change my password."""

import datetime as dt

from flask import current_app, make_response, request
from flask.views import MethodView

from oncall_service.identity import people, sessions
from oncall_service.identity.access_schemas import LoginSchema, MeSchema, PasswordChangeSchema, SessionSchema
from servicekit import auth, client_address, db
from servicekit.auth.request import SESSION_COOKIE
from servicekit.blueprint import Blueprint
from servicekit.errors import Unauthorized

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Signing in and out")


def _settings():
    return sessions.Settings.of(current_app.config)


def _set_cookie(response, value, max_age):
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        path="/",
    )


@blp.route("/login")
class Login(MethodView):
    @auth.public
    @blp.doc(responses={"401": "UNAUTHORIZED", "429": "TOO_MANY_REQUESTS"})
    @blp.arguments(LoginSchema)
    @blp.response(200, SessionSchema)
    def post(self, login):
        """Sign in with e-mail and password: sets the ip_session cookie (401 if wrong, 429 after repeated failures)"""
        settings = _settings()
        with db.transaction() as cur:
            result = sessions.sign_in(
                cur,
                login["email"],
                login["password"],
                client_address.current(),
                request.user_agent.string,
                settings,
                dt.datetime.now(dt.UTC),
            )
        if result is None:
            raise Unauthorized(sessions.WRONG_LOGIN)
        value, session, user = result
        body = SessionSchema().dump(
            {"user": user, "csrf_token": session["csrf_token"], "expires_at": session["expires_at"]}
        )
        response = make_response(body, 200)
        _set_cookie(response, value, settings.lifetime)
        response.headers["Cache-Control"] = "no-store"
        return response


@blp.route("/logout")
class Logout(MethodView):
    @auth.public
    @blp.response(204)
    def post(self):
        """End this session and clear its cookie (also when it had ended already)"""
        value = request.cookies.get(SESSION_COOKIE)
        if value:
            with db.transaction() as cur:
                sessions.sign_out(cur, value)
        response = make_response("", 204)
        _set_cookie(response, "", 0)
        return response


@blp.route("/me")
class Me(MethodView):
    @auth.role("viewer")
    @blp.response(200, MeSchema)
    def get(self):
        """Who the caller is: the principal, their user and (with a session) the CSRF token"""
        caller = auth.principal()
        user = None
        if caller.user_id is not None:
            with db.transaction() as cur:
                user = people.get_user(cur, caller.user_id)
        return {"principal": caller.public(), "user": user, "csrf_token": caller.csrf_token}


@blp.route("/password")
class Password(MethodView):
    @auth.role("viewer")
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def post(self, change):
        """Change your own password: needs the current one; your other sessions end"""
        with db.transaction() as cur:
            sessions.change_password(
                cur, auth.principal(), change["current_password"], change["new_password"], _settings()
            )
