"""The HTTP cache in front of the site: what the application tells it (test_purging) and Varnish
itself with deploy/varnish/default.vcl (test_varnish)."""
