vcl 4.1;

# Varnish in front of the IOM–EU partnership site's app servers (gunicorn + Django + Wagtail).
#
# What it does, in one paragraph: anonymous GET/HEAD requests for public pages and static files
# are cached for as long as the app's Cache-Control says (s-maxage), and forgotten when Wagtail
# publishes (wagtail.contrib.frontend_cache sends "PURGE <path>" with the site's Host header, or a
# "BAN" for the whole host). Staff (a sessionid cookie), the admin, previews, search, documents,
# /healthz/ and every non-GET go straight to the app. When the app servers are down, pages seen in
# the last day are served stale ("grace"); anything never cached gets a small "back soon" page.
#
# HOW THE BACKENDS ARE CONFIGURED (the one thing that differs between machines)
# This file never names an address. It includes "backends.vcl", which must define:
#   - the backends (the app servers), each with a `probe` on /healthz/ sending a Host header that
#     is one of the app's ALLOWED_HOSTS (Django answers 400 to any other Host);
#   - `sub vcl_init` making a round-robin director called `app` over those backends;
#   - `acl purgers`: the addresses allowed to PURGE and BAN (the app servers, 127.0.0.1, ::1).
# Generate it with the harness, which is also what the tests use:
#   python tools/varnish.py backends --backend 10.0.0.11:8000 --backend 10.0.0.12:8000 \
#       --probe-host partnership.example.org --purger 10.0.0.0/24 > /etc/varnish/backends.vcl
# deploy/varnish/backends.vcl.example is what that prints for one app server on this machine.
# Varnish looks for a relative include in its `vcl_path` parameter (by default /etc/varnish, then
# /usr/share/varnish/vcl): put default.vcl and backends.vcl side by side in /etc/varnish, or start
# varnishd with `-p vcl_path=<folder of backends.vcl>:<folder of default.vcl>` as the tests do.
#
# Debugging: every response says X-Cache: HIT, MISS or PASS, and Age (seconds in the cache).
# `varnishlog -g request -q 'ReqURL ~ "^/framework/"'` shows one request's whole path.

import std;
import directors;

include "backends.vcl";

sub vcl_recv {
    # --- Normalise what must not multiply cache entries. ---
    # Host: lowercase, without a port ("Partnership.example.org:443" is the same site). Django
    # ignores the port when it checks ALLOWED_HOSTS, and Wagtail's purge names the bare host.
    if (req.http.host) {
        set req.http.host = regsub(std.tolower(req.http.host), ":[0-9]+$", "");
    }
    # Tracking parameters change nothing on the page: drop them (utm_*, Facebook's, Google's,
    # Mailchimp's...), then a "?" or "&" left dangling, then sort what remains so that ?a=1&b=2 and
    # ?b=2&a=1 are one entry.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|igshid|yclid)(=[^&]*)?(?=&|$)", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }

    # --- Purging: only from the app servers (acl purgers, in backends.vcl). ---
    # "PURGE /path" with the site's Host forgets that URL (every variant: gzip or not), as
    # Wagtail's HTTPBackend asks on publish.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Purging is not allowed from this address."));
        }
        return (purge);
    }
    # "BAN" with a Host forgets every object of that host: for changes that show on every page
    # (the footer, the menu). The ban tests obj.http.x-host only, never req.*, so Varnish's ban
    # lurker applies it in the background and the ban list stays short.
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Banning is not allowed from this address."));
        }
        if (!req.http.host) {
            return (synth(400, "A BAN needs a Host header."));
        }
        if (std.ban("obj.http.x-host == " + req.http.host)) {
            return (synth(200, "Banned " + req.http.host));
        }
        return (synth(400, std.ban_error()));
    }

    set req.backend_hint = app.backend();
    # Grace (stale content): while at least one app server is healthy, serve an expired page for
    # at most 10 s while Varnish fetches a fresh one in the background. When the probes say every
    # app server is down, the object's own grace applies (24 h, vcl_backend_response): visitors
    # keep reading the pages seen in the last day.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }

    # --- What always goes to the app, with its cookies untouched. ---
    # Anything but GET and HEAD (form posts, the admin's saves, OPTIONS...).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The health check must say how the app is now, never how it was.
    if (req.url ~ "^/healthz/") {
        return (pass);
    }
    # The admin, and with it previews and "view draft" (/admin/pages/<id>/edit/preview/, ...).
    if (req.url ~ "^/admin(/|$)") {
        return (pass);
    }
    # Search results: one per query, not worth keeping. Documents: Wagtail's view checks each
    # one's privacy. /_util/: Wagtail's login and password forms for private pages.
    if (req.url ~ "^/([a-z]{2}(-[a-z]+)?/)?search/" || req.url ~ "^/documents/" || req.url ~ "^/_util/") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Signed-in staff (Django's session cookie): they see the live site with Wagtail's userbar,
    # never a copy cached for visitors, and nothing of theirs is stored.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }

    # --- Everyone else is an anonymous visitor: their cookies change nothing on a public page
    # (csrftoken, analytics, a consent banner's...), so drop them all and cache the page. ---
    unset req.http.Cookie;
    # Compressed or not: two variants at most. (Varnish also does this itself with
    # http_gzip_support on; said here so nobody has to know that.)
    if (req.http.Accept-Encoding ~ "(?i)\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_hash {
    # One object per URL and host (the host without its port, see vcl_recv).
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_response {
    # Who the object belongs to, for lurker-friendly bans (vcl_recv's BAN): removed in vcl_deliver.
    set beresp.http.x-host = bereq.http.host;
    set beresp.http.x-url = bereq.url;

    # An error from the app: never stored, and never in place of a page Varnish still holds in
    # grace. A background refresh that fails keeps the stale page as it was.
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # Never cache a response that sets a cookie, or that the app marks private or no-store (the
    # admin, staff's views), or that says nothing about caching at all (search, the sitemap, a
    # 404, a redirect): the app's Cache-Control is the only thing that makes a response
    # cacheable. Such responses are remembered as "hit-for-miss" for 2 minutes, so requests for
    # them go straight to the app instead of queueing behind each other.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || (!beresp.http.Cache-Control && !beresp.http.Expires)
        || beresp.ttl <= 0s) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # Cacheable: the TTL is the app's s-maxage (or max-age), which Varnish has already read.
    # Grace: kept a day past it, to be served while the app servers are down (vcl_recv limits
    # it to 10 s while they are up). Keep: a day more, so an expired page can be revalidated
    # with If-None-Match / If-Modified-Since instead of fetched whole.
    set beresp.grace = 24h;
    set beresp.keep = 24h;

    # Compress text the app sent uncompressed (tiny responses, or a client that did not ask):
    # stored once gzipped, unzipped on the way out for the rare client that cannot take gzip.
    if (!beresp.http.Content-Encoding
        && beresp.http.Content-Type ~ "(?i)^(text/(html|css|plain|xml|javascript)|application/(javascript|json|xml|rss\+xml|atom\+xml|manifest\+json)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # Varnish could not reach an app server (all down, or a connection failed). A background
    # refresh gives up and the stale page stays; a visitor's request gets vcl_synth's 503 page.
    return (abandon);
}

sub vcl_deliver {
    # Debugging aids, harmless in public: where the response came from, and Age (set by Varnish).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.x-host;
    unset resp.http.x-url;
    return (deliver);
}

sub vcl_synth {
    set resp.http.Cache-Control = "no-store";
    set resp.http.X-Cache = "SYNTH";
    if (resp.status >= 500) {
        # No app server answered and nothing was cached for this URL: a page in the site's voice,
        # self-contained (no stylesheet, font or image to fetch from servers that are down).
        set resp.status = 503;
        set resp.reason = "Service Unavailable";
        set resp.http.Retry-After = "60";
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.body = {"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Back soon | IOM and the European Union</title>
<style>
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b2a3a; background: #f5f7fa; line-height: 1.5; }
main { max-width: 36rem; margin: 12vh auto; padding: 2rem; background: #fff; border-top: 6px solid #0033a0; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
a { color: #0033a0; }
</style>
</head>
<body>
<main>
<p><strong>IOM and the European Union</strong></p>
<h1>The site is taking a short break…</h1>
<p>This page cannot be shown right now. We are working on it, and it should be back in a few minutes.</p>
<p><a href="/">Go to the home page</a>: pages read recently are still available.</p>
</main>
</body>
</html>
"};
        return (deliver);
    }
    # PURGE / BAN answers and refusals: a short line of text.
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
