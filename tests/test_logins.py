"""Safe logins, through the real /admin/login/ view with the real settings: repeated failures lock the
account and the address, the lock lifts by itself or by an Administrator, and Moderators and
Administrators need a code from an authenticator app after their password."""

import sys
from datetime import timedelta
from urllib.parse import urlparse

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from partnership.logins import lockout, two_factor, views

from . import production
from .utils import run_command, soup

PASSWORD = "a-long-test-password-1"  # noqa: S105
LOGIN = "/admin/login/"
HOME = "/admin/"
PAGES = "/admin/pages/"
SETUP = reverse("logins_setup")
VERIFY = reverse("logins_verify")
LOCKOUTS = reverse("logins_lockouts")
# Addresses from the documentation ranges (RFC 5737): only strings here, no traffic goes anywhere.
ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.20"


def make_user(username, group=None, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def current_code(device):
    """What the person's authenticator app shows now, computed from the device's key."""
    device.refresh_from_db()
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def wait_out_throttling(device):
    """django-otp makes each wrong code double the wait before the next try (1 s after the first):
    move the last failure back rather than sleep."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=5))


class LoginTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor", "Editors")
        cls.moderator = make_user("moderator", "Moderators")
        cls.administrator = make_user("administrator", superuser=True)

    def log_in(self, username, password=PASSWORD, address=ADDRESS, client=None):
        client = client or self.client
        return client.post(LOGIN, {"username": username, "password": password, "next": HOME}, REMOTE_ADDR=address)

    def assertLoggedOut(self, client=None):
        response = (client or self.client).get(HOME)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN), response["Location"])

    def assertRedirectsTo(self, response, path):
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(urlparse(response["Location"]).path, path)

    def assertLoginRefused(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].non_field_errors(), ["Your username and password didn't match. Please try again."]
        )

    def assertLockedOut(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)


class LockoutTests(LoginTestCase):
    def fail_logins(self, username, times, address=ADDRESS):
        return [self.log_in(username, "wrong-password", address) for _ in range(times)]

    def test_the_sixth_attempt_is_refused_even_with_the_right_password(self):
        responses = self.fail_logins("editor", 5)
        for response in responses[:4]:
            self.assertLoginRefused(response)
        self.assertLockedOut(responses[4])  # the fifth failure locks

        response = self.log_in("editor")  # the right password
        self.assertLockedOut(response)
        self.assertLoggedOut()
        # A normal page in the admin's look that says why, until when, and whom to ask.
        html = soup(response)
        self.assertEqual(html.html.get("lang"), "en")
        self.assertEqual(html.find("h1").get_text(strip=True), "Too many failed logins")
        self.assertTrue(html.title.string.strip())
        self.assertIsNotNone(html.find("main"))
        text = " ".join(html.get_text().split())
        self.assertIn("even with the right password", text)
        self.assertIn("You can try again after", text)
        self.assertIn("ask one of the site's Administrators", text)
        self.assertIn("Settings → Locked logins", text)
        wait = int(response["Retry-After"])
        self.assertTrue(29 * 60 < wait <= 30 * 60 + 1, wait)

    def test_a_colleague_at_the_same_address_logs_in_after_someone_elses_five_failures(self):
        self.fail_logins("editor", 5, address=ADDRESS)
        self.assertRedirectsTo(self.log_in("moderator", address=ADDRESS), HOME)

    def test_the_username_is_locked_from_every_address(self):
        self.fail_logins("editor", 5, address=ADDRESS)
        response = self.log_in("editor", address=OTHER_ADDRESS)
        self.assertLockedOut(response)
        html = soup(response)
        self.assertIsNotNone(html.find(id="locked-account"))
        self.assertIsNone(html.find(id="locked-address"))

    def spray(self, failures, usernames=25, address=ADDRESS, prefix="guess"):
        """`failures` wrong passwords from one address, spread over `usernames` different usernames,
        as a password sprayer does: a few tries per account, none reaching one account's limit."""
        for n in range(failures):
            self.log_in(f"{prefix}-{n % usernames}", "wrong-password", address)

    def test_spraying_many_usernames_from_one_address_locks_the_address(self):
        self.spray(settings.LOGINS_ADDRESS_FAILURE_LIMIT - 1)
        self.assertRedirectsTo(self.log_in("moderator", client=Client()), HOME)  # one short: still open
        self.spray(1, prefix="another")
        response = self.log_in("editor")  # the right password, an account nobody guessed
        self.assertLockedOut(response)
        html = soup(response)
        self.assertIsNotNone(html.find(id="locked-address"))
        self.assertIsNone(html.find(id="locked-account"))
        self.assertIn(ADDRESS, html.find(id="locked-address").get_text())
        self.assertRedirectsTo(self.log_in("editor", address=OTHER_ADDRESS), HOME)  # from elsewhere: fine

    def test_many_failures_on_few_usernames_lock_those_accounts_not_the_address(self):
        # Each of 9 usernames locks at its fifth failure; the address, with fewer than 10, stays open.
        self.spray(settings.LOGINS_ADDRESS_FAILURE_LIMIT, usernames=settings.LOGINS_ADDRESS_USERNAME_LIMIT - 1)
        self.assertRedirectsTo(self.log_in("editor"), HOME)
        self.assertLockedOut(self.log_in("guess-0", address=OTHER_ADDRESS))

    def test_failures_count_in_a_row_per_username(self):
        self.fail_logins("editor", 4)
        self.assertRedirectsTo(self.log_in("editor"), HOME)  # a success clears the username's failures
        self.client.logout()
        for response in self.fail_logins("editor", 4):
            self.assertLoginRefused(response)

    def test_logging_in_to_another_account_does_not_clear_the_failures(self):
        """Axes alone would clear every failure from the address at any successful login there."""
        self.fail_logins("moderator", 4)
        self.assertRedirectsTo(self.log_in("editor", client=Client()), HOME)
        self.assertLockedOut(self.fail_logins("moderator", 1)[0])

    def test_the_lock_lifts_by_itself_after_thirty_minutes(self):
        self.fail_logins("editor", 5)
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
        self.assertLockedOut(self.log_in("editor"))
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
        self.assertRedirectsTo(self.log_in("editor"), HOME)
        self.assertEqual(self.client.get(HOME).status_code, 200)

    def test_an_administrator_lifts_the_lock_in_the_admin(self):
        self.fail_logins("editor", 5)
        admin = Client()
        admin.force_login(self.administrator)
        response = admin.get(LOCKOUTS)
        self.assertEqual(response.status_code, 200)
        rows = {row.find("td").get_text(strip=True) for row in soup(response).select("table tbody tr")}
        self.assertEqual(rows, {"editor"})  # the account only: the address is not locked for the others
        self.assertContains(response, "No network address is locked.")

        response = admin.post(LOCKOUTS, {"username": "editor"})
        self.assertRedirectsTo(response, LOCKOUTS)
        self.assertContains(admin.get(LOCKOUTS), "No username is locked.")
        entry = ModelLogEntry.objects.get(action=lockout.UNLOCKED)
        self.assertEqual((entry.user, entry.data), (self.administrator, {"username": "editor"}))
        self.assertRedirectsTo(self.log_in("editor"), HOME)

    def test_the_locked_logins_page_lists_both_kinds_and_unlocks_an_address(self):
        self.fail_logins("editor", 5)
        self.spray(settings.LOGINS_ADDRESS_FAILURE_LIMIT, address=OTHER_ADDRESS)
        admin = Client()
        admin.force_login(self.administrator)
        html = soup(admin.get(LOCKOUTS))
        usernames = [
            row.find("td").get_text(strip=True) for row in html.select("[aria-labelledby=locked-usernames] tbody tr")
        ]
        addresses = [
            [cell.get_text(strip=True) for cell in row.find_all("td")[:3]]
            for row in html.select("[aria-labelledby=locked-addresses] tbody tr")
        ]
        self.assertEqual(usernames, ["editor"])
        self.assertEqual(addresses, [[OTHER_ADDRESS, str(settings.LOGINS_ADDRESS_FAILURE_LIMIT), "25"]])

        self.assertRedirectsTo(admin.post(LOCKOUTS, {"ip_address": OTHER_ADDRESS}), LOCKOUTS)
        self.assertRedirectsTo(self.log_in("moderator", address=OTHER_ADDRESS), HOME)
        self.assertEqual(ModelLogEntry.objects.get(action=lockout.UNLOCKED).data, {"ip_address": OTHER_ADDRESS})

    def test_only_administrators_see_and_use_the_locked_logins_page(self):
        self.fail_logins("editor", 5)
        admin, moderator = Client(), Client()
        admin.force_login(self.administrator)
        moderator.force_login(self.moderator)
        self.assertContains(admin.get(HOME), LOCKOUTS)  # in the Settings menu
        self.assertNotContains(moderator.get(HOME), LOCKOUTS)
        self.assertRedirectsTo(moderator.get(LOCKOUTS), HOME)
        self.assertRedirectsTo(moderator.post(LOCKOUTS, {"username": "editor"}), HOME)
        self.assertLockedOut(self.log_in("editor"))

    def test_the_axes_commands_lift_a_lock(self):
        self.fail_logins("editor", 5)
        self.assertIn("attempts removed", run_command("axes_reset_username", "editor"))
        self.assertRedirectsTo(self.log_in("editor"), HOME)

    def test_a_deactivated_user_is_refused_with_the_normal_message(self):
        get_user_model().objects.filter(pk=self.editor.pk).update(is_active=False)
        self.assertLoginRefused(self.log_in("editor"))
        self.assertLoggedOut()

    @override_settings(LOGINS_TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ADDRESS}")
        with override_settings(LOGINS_TRUSTED_PROXY_COUNT=1):
            self.assertEqual(lockout.client_ip_address(request), ADDRESS)  # not the spoofable left entry
        with override_settings(LOGINS_TRUSTED_PROXY_COUNT=2):
            self.assertEqual(lockout.client_ip_address(request), "6.6.6.6")
        with override_settings(LOGINS_TRUSTED_PROXY_COUNT=0):
            self.assertEqual(lockout.client_ip_address(request), "10.1.1.1")

    def log_in_forwarded(self, username, password, forwarded_for, address):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "next": HOME},
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    @override_settings(LOGINS_TRUSTED_PROXY_COUNT=1, LOGINS_TRUSTED_PROXIES=["127.0.0.1"])
    def test_a_junk_forwarded_address_gets_the_normal_login_answer(self):
        """Axes keeps the address in an inet column on PostgreSQL: junk there was a 500, even with the
        right password. A header that is not an address counts as no header."""
        junk = ["garbage", "9" * 300, "<script>alert(1)</script>", "1.2.3.4, 5.6.7", "::1::2", ""]
        for proxy in ("127.0.0.1", ADDRESS):  # from the trusted proxy, and straight from a client
            for forwarded_for in junk:
                with self.subTest(proxy=proxy, forwarded_for=forwarded_for[:20]):
                    self.assertLoginRefused(self.log_in_forwarded("editor", "wrong-password", forwarded_for, proxy))
                    self.assertEqual(
                        set(AccessAttempt.objects.values_list("ip_address", flat=True)), {proxy}, "the socket's address"
                    )
                    self.assertRedirectsTo(self.log_in_forwarded("editor", PASSWORD, forwarded_for, proxy), HOME)
                    self.client.logout()
                    AccessAttempt.objects.all().delete()

    @override_settings(LOGINS_TRUSTED_PROXY_COUNT=1, LOGINS_TRUSTED_PROXIES=["127.0.0.1"])
    def test_rotating_forwarded_headers_from_one_socket_still_locks_the_address(self):
        """A client that reaches the application directly (not through the trusted proxy) writes its
        own X-Forwarded-For: a new one each try must not escape the lock on its address."""
        for n in range(settings.LOGINS_ADDRESS_FAILURE_LIMIT):
            self.log_in_forwarded(f"guess-{n % 10}", "wrong-password", f"203.0.113.{n + 1}", ADDRESS)
        self.assertLockedOut(self.log_in_forwarded("moderator", PASSWORD, "203.0.113.99", ADDRESS))
        self.assertLoggedOut()
        # The same header from the trusted proxy is believed: that visitor is someone else.
        self.assertRedirectsTo(self.log_in_forwarded("moderator", PASSWORD, "203.0.113.99", "127.0.0.1"), HOME)


class TwoFactorTests(LoginTestCase):
    def confirmed_device(self, user):
        device = TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True)
        codes = two_factor.new_recovery_codes(user)
        return device, codes

    def assertFieldIsAccessible(self, response, name):
        field = soup(response).find("input", attrs={"name": name})
        label = soup(response).find("label", attrs={"for": field["id"]})
        self.assertTrue(label.get_text(strip=True))
        self.assertIn(f"{field['id']}-errors", field["aria-describedby"])
        return field

    def test_a_moderator_must_set_up_an_authenticator_before_any_admin_page(self):
        self.assertRedirectsTo(self.log_in("moderator"), HOME)
        for path in (HOME, PAGES, reverse("wagtailusers_users:index")):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertRedirectsTo(response, SETUP)
                self.assertIn(f"next={path}", response["Location"])

        response = self.client.get(f"{SETUP}?next={PAGES}")
        self.assertEqual(response.status_code, 200)
        device = TOTPDevice.objects.get(user=self.moderator, confirmed=False)
        html = soup(response)
        svg = html.select_one(".logins-qr svg")  # the QR code is drawn into the page
        self.assertEqual(svg["role"], "img")
        self.assertTrue(svg.find("title").get_text(strip=True))
        self.assertEqual(
            html.find(id="secret").get_text().replace(" ", ""), two_factor.secret_text(device).replace(" ", "")
        )
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in html.find_all(tag):
                self.assertEqual(urlparse(element.get(attribute, "")).netloc, "", element)
        field = self.assertFieldIsAccessible(response, "otp_token")
        self.assertEqual((field["autocomplete"], field["inputmode"]), ("one-time-code", "numeric"))
        self.assertEqual(self.client.get(SETUP).status_code, 200)
        self.assertEqual(TOTPDevice.objects.filter(user=self.moderator).count(), 1, "a reload keeps the QR code")

        response = self.client.post(SETUP, {"otp_token": "000000", "next": PAGES})
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(soup(response).find(attrs={"role": "alert"}))
        self.assertEqual(soup(response).find("input", attrs={"name": "otp_token"})["aria-invalid"], "true")
        self.assertRedirectsTo(self.client.get(HOME), SETUP)
        # Right after a wrong code, even the right one waits: guessing is slowed down.
        response = self.client.post(SETUP, {"otp_token": current_code(device), "next": PAGES})
        self.assertContains(response, "Too many wrong codes in a row")
        wait_out_throttling(device)

        response = self.client.post(SETUP, {"otp_token": current_code(device), "next": PAGES})
        self.assertRedirectsTo(response, reverse("logins_recovery_codes"))
        codes_page = self.client.get(response["Location"])
        codes = [code.get_text() for code in soup(codes_page).select(".logins-codes code")]
        self.assertEqual(len(codes), 10)
        self.assertEqual(
            set(codes), set(StaticToken.objects.filter(device__user=self.moderator).values_list("token", flat=True))
        )
        self.assertEqual(soup(codes_page).select_one(".form-actions a")["href"], PAGES)
        self.assertRedirectsTo(self.client.get(reverse("logins_recovery_codes")), reverse("logins_manage"))  # once
        self.assertEqual(self.client.get(PAGES).status_code, 200)
        self.assertTrue(
            ModelLogEntry.objects.filter(action=two_factor.TURNED_ON, object_id=str(self.moderator.pk)).exists()
        )

    def test_an_administrator_must_use_two_factor_too(self):
        self.assertRedirectsTo(self.log_in("administrator"), HOME)
        self.assertRedirectsTo(self.client.get(HOME), SETUP)

    @override_settings(LOGINS_TWO_FACTOR_REQUIRED=False)  # as iomeu/settings/dev.py has it
    def test_under_the_development_settings_the_local_admin_needs_no_authenticator(self):
        self.assertRedirectsTo(self.log_in("administrator"), HOME)
        self.assertEqual(self.client.get(HOME).status_code, 200)
        self.assertEqual(self.client.get(PAGES).status_code, 200)
        # Whoever has set up an app is still asked for its code, so the second step can be tried here.
        self.confirmed_device(self.moderator)
        moderator = Client()
        self.assertRedirectsTo(self.log_in("moderator", client=moderator), HOME)
        self.assertRedirectsTo(moderator.get(HOME), VERIFY)

    def test_only_the_development_settings_make_the_second_factor_optional(self):
        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "from django.contrib.auth.models import User; from partnership.logins.two_factor import is_required; "
            "print(s.LOGINS_TWO_FACTOR_ENFORCED, s.LOGINS_TWO_FACTOR_REQUIRED, s.LOGINS_TWO_FACTOR_REQUIRED_GROUPS, "
            "is_required(User(username='a', is_superuser=True)))"
        )
        printed = {}
        for name in ("production", "dev"):
            result = production.run([sys.executable, "-c", code], module=name)
            self.assertEqual(result.returncode, 0, result.stderr)
            printed[name] = result.stdout.strip()
        self.assertEqual(printed["production"], "True True ['Moderators'] True")
        self.assertEqual(printed["dev"], "True False ['Moderators'] False")

    def test_a_moderator_with_an_authenticator_enters_a_code_after_the_password(self):
        device, _ = self.confirmed_device(self.moderator)
        self.assertRedirectsTo(self.log_in("moderator"), HOME)
        for path in (HOME, PAGES, SETUP):
            with self.subTest(path):
                self.assertRedirectsTo(self.client.get(path), VERIFY if path != SETUP else reverse("logins_manage"))
        self.assertRedirectsTo(self.client.get(reverse("logins_manage")), VERIFY)

        response = self.client.get(f"{VERIFY}?next={PAGES}")
        field = self.assertFieldIsAccessible(response, "otp_token")
        self.assertEqual((field["autocomplete"], field["inputmode"]), ("one-time-code", "numeric"))
        self.assertFieldIsAccessible(response, "recovery_code")

        response = self.client.post(VERIFY, {"otp_token": "123456", "next": PAGES})
        self.assertContains(response, "That code is not right")
        self.assertRedirectsTo(self.client.get(PAGES), VERIFY)
        wait_out_throttling(device)

        code = current_code(device)
        self.assertRedirectsTo(self.client.post(VERIFY, {"otp_token": code, "next": PAGES}), PAGES)
        self.assertEqual(self.client.get(PAGES).status_code, 200)

        # The same code cannot be used again, in this session or another.
        self.client.post(reverse("wagtailadmin_logout"))
        self.log_in("moderator")
        response = self.client.post(VERIFY, {"otp_token": code, "next": PAGES})
        self.assertContains(response, "That code is not right")
        self.assertRedirectsTo(self.client.get(PAGES), VERIFY)

    def test_an_editor_without_an_authenticator_needs_only_the_password(self):
        self.assertRedirectsTo(self.log_in("editor"), HOME)
        self.assertEqual(self.client.get(HOME).status_code, 200)
        self.assertEqual(self.client.get(PAGES).status_code, 200)

    def test_an_editor_may_turn_two_factor_on_and_then_needs_a_code(self):
        self.log_in("editor")
        self.assertContains(self.client.get(reverse("wagtailadmin_account")), reverse("logins_manage"))
        self.assertContains(self.client.get(reverse("logins_manage")), "is <strong>off</strong>")
        self.client.get(SETUP)
        device = TOTPDevice.objects.get(user=self.editor)
        response = self.client.post(SETUP, {"otp_token": current_code(device), "next": reverse("logins_manage")})
        self.assertRedirectsTo(response, reverse("logins_recovery_codes"))

        self.client.post(reverse("wagtailadmin_logout"))
        self.log_in("editor")
        self.assertRedirectsTo(self.client.get(HOME), VERIFY)

    def test_an_editor_may_turn_it_off_but_a_moderator_may_not(self):
        for user, stays_on in ((self.editor, False), (self.moderator, True)):
            with self.subTest(user.username):
                self.confirmed_device(user)
                client = Client()
                client.force_login(user)
                client.post(reverse("logins_turn_off"))
                self.assertEqual(two_factor.has_authenticator(user), stays_on)
                logged = ModelLogEntry.objects.filter(action=two_factor.TURNED_OFF, object_id=str(user.pk)).exists()
                self.assertEqual(logged, not stays_on)

    def test_a_recovery_code_works_once_and_only_once(self):
        _, codes = self.confirmed_device(self.moderator)
        self.log_in("moderator")
        response = self.client.post(VERIFY, {"recovery_code": codes[0].upper(), "next": PAGES})
        self.assertRedirectsTo(response, PAGES)
        self.assertContains(self.client.get(PAGES), "9 left")
        self.assertEqual(two_factor.recovery_codes_left(self.moderator), 9)

        self.client.post(reverse("wagtailadmin_logout"))
        self.log_in("moderator")
        response = self.client.post(VERIFY, {"recovery_code": codes[0], "next": PAGES})
        self.assertContains(response, "That recovery code is not right")
        self.assertRedirectsTo(self.client.get(PAGES), VERIFY)
        wait_out_throttling(StaticDevice.objects.get(user=self.moderator, name=two_factor.RECOVERY_CODES_NAME))
        self.assertRedirectsTo(self.client.post(VERIFY, {"recovery_code": codes[1], "next": PAGES}), PAGES)
        self.assertEqual(ModelLogEntry.objects.filter(action=two_factor.RECOVERY_CODE_USED).count(), 2)

    def test_new_recovery_codes_replace_the_old_ones(self):
        _, old_codes = self.confirmed_device(self.moderator)
        self.client.force_login(self.moderator)
        logged = ModelLogEntry.objects.filter(action=two_factor.NEW_RECOVERY_CODES, user=self.moderator)
        logged_before = logged.count()
        response = self.client.post(reverse("logins_manage"))
        new_codes = [
            code.get_text() for code in soup(self.client.get(response["Location"])).select(".logins-codes code")
        ]
        self.assertEqual(len(new_codes), 10)
        stored = set(StaticToken.objects.filter(device__user=self.moderator).values_list("token", flat=True))
        self.assertEqual(stored, set(new_codes))
        self.assertFalse(stored & set(old_codes))
        self.assertEqual(logged.count(), logged_before + 1)

    def test_an_administrator_resets_a_persons_second_factor(self):
        self.confirmed_device(self.moderator)
        moderator = Client()
        moderator.force_login(self.moderator)
        self.assertEqual(moderator.get(PAGES).status_code, 200)

        admin = Client()
        admin.force_login(self.administrator)
        reset_url = reverse("logins_reset", args=[self.moderator.pk])
        self.assertContains(admin.get(reverse("wagtailusers_users:index")), reset_url)
        self.assertContains(admin.get(reset_url), "Reset two-factor authentication")
        self.assertRedirectsTo(admin.post(reset_url), reverse("wagtailusers_users:index"))

        self.assertFalse(TOTPDevice.objects.filter(user=self.moderator).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.moderator).exists())
        entry = ModelLogEntry.objects.get(action=two_factor.RESET)
        self.assertEqual((entry.user, entry.object_id), (self.administrator, str(self.moderator.pk)))
        # At once: the moderator's open session needs a new app before anything else.
        self.assertRedirectsTo(moderator.get(PAGES), SETUP)

    def test_only_administrators_reset_a_second_factor(self):
        self.confirmed_device(self.moderator)
        other = make_user("other-moderator", "Moderators")
        client = Client()
        client.force_login(other)
        reset_url = reverse("logins_reset", args=[self.moderator.pk])
        self.assertRedirectsTo(client.post(reset_url), HOME)
        self.assertTrue(two_factor.has_authenticator(self.moderator))

    def test_the_reset_command(self):
        self.confirmed_device(self.administrator)
        self.assertIn("is reset", run_command("reset_two_factor", "administrator"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.administrator).exists())
        self.assertTrue(ModelLogEntry.objects.filter(action=two_factor.RESET, user=None).exists())


class SessionTests(LoginTestCase):
    def test_a_session_ends_after_a_working_day_without_requests(self):
        cookie = self.log_in("editor").cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        session = Session.objects.filter(session_key=cookie.value)

        def hours_left():
            return (session.get().expire_date - timezone.now()).total_seconds() / 3600

        self.assertAlmostEqual(hours_left(), 8, delta=0.05)
        session.update(expire_date=timezone.now() + timedelta(hours=1))  # seven idle hours later
        self.assertEqual(self.client.get(HOME).status_code, 200)
        self.assertAlmostEqual(hours_left(), 8, delta=0.05)  # each request starts the eight hours again
        session.update(expire_date=timezone.now() - timedelta(seconds=1))  # eight idle hours later
        self.assertLoggedOut()

    def test_remember_me_keeps_the_cookie_for_a_working_day_only(self):
        response = self.client.post(LOGIN, {"username": "editor", "password": PASSWORD, "remember": "on"})
        self.assertEqual(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"], 8 * 60 * 60)

    def test_production_cookies_are_secure_and_http_only(self):
        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, "
            "s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST, s.LOGINS_TRUSTED_PROXY_COUNT)"
        )
        result = production.run([sys.executable, "-c", code])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["True", "True", "True", "True", "28800", "True", "1"])


class RecoveryCodesDownloadTests(LoginTestCase):
    def test_the_codes_just_shown_download_once_as_text_and_can_be_printed(self):
        TOTPDevice.objects.create(user=self.editor, name=two_factor.AUTHENTICATOR_NAME, confirmed=True)
        self.client.force_login(self.editor)
        shown = self.client.get(self.client.post(reverse("logins_manage"))["Location"])
        html = soup(shown)
        codes = [code.get_text() for code in html.select(".logins-codes code")]
        download = html.find("a", string="Download as text")
        self.assertEqual(download["href"], reverse("logins_recovery_codes_download"))
        self.assertIsNotNone(html.find("button", attrs={"data-print": True}))
        self.assertIn("/static/logins/print.js", [script.get("src") for script in html.find_all("script")])

        response = self.client.get(download["href"])
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual([line for line in response.content.decode().splitlines() if line in codes], codes)
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)
        # Once: the codes have left the session.
        self.assertRedirectsTo(self.client.get(download["href"]), reverse("logins_manage"))
        self.assertNotIn(views.SESSION_RECOVERY_CODES_DOWNLOAD, self.client.session)

    def test_nothing_to_download_without_codes_just_shown(self):
        self.client.force_login(self.editor)
        self.assertRedirectsTo(self.client.get(reverse("logins_recovery_codes_download")), reverse("logins_manage"))
