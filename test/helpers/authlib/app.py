# The Authlib (Flask) example of docs/integration.md section 14, with the test's addresses from
# the environment and pages the test can read. Started by test/helpers/authlib-site.ts.
import json
import os
from urllib.parse import urlencode

from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, session, url_for
from markupsafe import escape

ISSUER = os.environ["ISSUER"]
CLIENT_ID = os.environ["CLIENT_ID"]

app = Flask(__name__)
app.secret_key = os.environ["SESSION_SECRET"]
oauth = OAuth(app)
oauth.register(
    "darvaze",
    server_metadata_url=ISSUER + "/.well-known/openid-configuration",
    client_id=CLIENT_ID,
    client_secret=os.environ["CLIENT_SECRET"],
    client_kwargs={
        "scope": "openid profile phone",
        "code_challenge_method": "S256",  # PKCE: Darvaze requires it
        "token_endpoint_auth_method": "client_secret_basic",
    },
)


@app.route("/")
def home():
    claims = json.dumps(session.get("claims") or {}, ensure_ascii=False)
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Authlib site</title>'
        f'<pre id="claims">{escape(claims)}</pre>'
        f'<form method="post" action="/logout"><button type="submit">Sign out</button></form></html>'
    )


@app.route("/login")
def login():
    # Authlib adds state and nonce, and keeps them (and the PKCE verifier) in the session.
    return oauth.darvaze.authorize_redirect(url_for("callback", _external=True), ui_locales="fa")


@app.route("/callback")
def callback():
    token = oauth.darvaze.authorize_access_token()  # checks state, redeems, validates the ID token
    session["claims"] = dict(token["userinfo"])  # the ID token's claims (sub, name, ...)
    return redirect("/")


@app.route("/logout", methods=["POST"])
def logout():
    session.clear()
    end = oauth.darvaze.load_server_metadata()["end_session_endpoint"]
    return redirect(end + "?" + urlencode({
        "client_id": CLIENT_ID,
        "post_logout_redirect_uri": url_for("logged_out", _external=True),
    }))


@app.route("/logged-out")
def logged_out():
    return "signed out"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
