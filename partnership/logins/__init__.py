"""Safe logins to the admin: lockout after repeated failures (django-axes) and two-factor
authentication (django-otp). Its admin pages and menu items are hooked in from wagtail_hooks.py,
which partnership/wagtail_hooks.py imports."""
