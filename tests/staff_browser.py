"""Someone signed in to the admin of a production app server (or of Varnish in front of it), over
plain HTTP from a test: the tests that run real gunicorn servers share it."""

import re
from urllib.parse import urlencode


class StaffBrowser:
    """Cookies are kept by hand: production marks them Secure, and the TLS proxy in front says it
    did TLS with X-Forwarded-Proto."""

    def __init__(self, server, host, password, cookies=None):
        self.server = server
        self.host = host
        self.password = password
        self.cookies = dict(cookies or {})

    def request(self, method, path, form=None):
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{self.host}"})
        response = self.server.request(method, path, body=body, headers=headers)
        if not hasattr(response, "text"):
            response.text = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response

    def submit(self, path, **fields):
        page = self.request("GET", path)
        assert page.status == 200, (path, page.status, page.text[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})

    def sign_in(self, username, totp_key=None):
        """The login form, then for someone with an authenticator app (its key in hex) the code it
        would show now. Ends on the dashboard."""
        response = self.submit("/admin/login/", username=username, password=self.password, next="/admin/")
        assert response.status == 302, response.text[:500]
        if totp_key:
            from django_otp.oath import totp

            self.request("GET", "/admin/")  # sends a Moderator on to the second step
            response = self.submit("/admin/two-factor/verify/", otp_token=f"{totp(bytes.fromhex(totp_key)):06d}")
            assert response.status == 302, response.text[:500]
        dashboard = self.request("GET", "/admin/")
        assert dashboard.status == 200 and "Dashboard" in dashboard.text, dashboard.status
        return self
