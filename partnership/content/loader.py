"""Apply a checked plan to the database, in one transaction, without overwriting staff's work.

A page counts as edited by staff when its latest revision was not made by the loader's own
system user: that is read from the revision history, never guessed from the content.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Site
from wagtail.search import index
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from ..models import FooterSettings, PartnershipImage
from . import fixtures as fixture_files
from .errors import ContentError, Problem
from .schema import NATURAL_KEYS, OPTIONAL_PAGE_FIELDS, field_kind, optional_fields, own_fields
from .streams import normalise_path, strip_block_ids, to_stored

LOADER_USERNAME = "content-loader"


def loader_user():
    """The inactive system user whose revisions mark content as 'as loaded from fixtures'."""
    user, created = get_user_model().objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"is_active": False, "first_name": "Content", "last_name": "loader"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass
class Report:
    dry_run: bool = False
    lines: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: dict.fromkeys(["created", "updated", "unchanged", "skipped"], 0))
    images: dict = field(default_factory=lambda: dict.fromkeys(["created", "unchanged"], 0))
    replaced: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # Problems: what rich text lost to the editor's whitelist

    def page(self, action, path, detail=""):
        self.counts[action] += 1
        self.lines.append(f"{action:<9} {path}{f'  ({detail})' if detail else ''}")

    def summary(self):
        pages = ", ".join(f"{n} {action}" for action, n in self.counts.items())
        images = ", ".join(f"{n} {action}" for action, n in self.images.items())
        prefix = "Dry run, nothing written. Would have: " if self.dry_run else ""
        return f"{prefix}Pages: {pages}. Images: {images}."


def load(fixtures_dir, force_paths=(), force_all=False, dry_run=False, strict=False):
    """Read, check and load the fixtures. Raises ContentError, leaving the database untouched.
    With `strict`, rich text the editor's whitelist would change is an error, not a warning."""
    plan = fixture_files.read(fixtures_dir, strict=strict)
    force_paths = {normalise_path(path) for path in force_paths}
    unknown = force_paths - {spec.path for spec in plan.pages}
    if unknown:
        raise ContentError([Problem("--force", "", f"no page at {path} in the fixtures") for path in sorted(unknown)])
    report = Report(dry_run=dry_run, removed=list(plan.removed))
    # References are indexed once at the end, not on each of the several saves per page.
    with transaction.atomic(), disable_reference_index_auto_update():
        _Apply(plan, report, force_paths, force_all).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Apply:
    def __init__(self, plan, report, force_paths, force_all):
        self.plan = plan
        self.report = report
        self.force_paths = force_paths
        self.force_all = force_all
        self.user = loader_user()
        self.locale = Locale.get_default()
        self.problems = []
        self.pages = {}  # URL path -> specific page
        self.created = set()
        self.deleted = {}  # URL path -> the id it had, for pages deleted in the admin
        self.touched = []

    def run(self):
        image_ids = self.load_images()
        self.ensure_pages()
        self.plan.references.set_ids(image_ids, self.page_ids())
        for spec in self.plan.pages:
            if spec.path not in self.deleted:
                self.apply_page(spec)
        if self.problems:
            raise ContentError(self.problems)
        self.load_footer()
        for page in self.touched:
            index.insert_or_update_object(page)
            ReferenceIndex.create_or_update_for_object(page)

    # Images are matched by the SHA-1 of their file, so a renamed or re-titled image is still found.
    def load_images(self):
        ids = {}
        for spec in self.plan.images:
            with spec.path.open("rb") as handle:
                image = PartnershipImage(title=spec.title, description=spec.description)
                image.file = File(handle, name=spec.file)
                # What Wagtail's image form does after an upload (the size and the hash), through
                # public functions: the helper it uses for this is private to Wagtail.
                image.file_size = image.file.size
                image.file_hash = hash_filelike(handle)
                handle.seek(0)
                existing = PartnershipImage.objects.filter(file_hash=image.file_hash).first()
                if existing:
                    ids[spec.file] = existing.pk
                    self.report.images["unchanged"] += 1
                    continue
                image.uploaded_by_user = self.user
                image.save()
            ids[spec.file] = image.pk
            self.report.images["created"] += 1
        return ids

    def ensure_pages(self):
        """Find every page of the plan (by translation key, so moves and renames don't matter) and
        create the missing ones as unpublished pages without revisions, so that every reference
        between pages resolves before any content is written. A page the loader created once and
        that is gone now was deleted in the admin: it stays deleted, with the pages below it,
        unless forced."""
        for spec in self.plan.pages:
            page = Page.objects.filter(translation_key=spec.translation_key, locale=self.locale).specific().first()
            if page is not None and not isinstance(page, spec.model):
                self.fail(spec, "type", f"the page on the site is a {type(page).__name__}, not a {spec.model.__name__}")
                continue
            if page is None and self.stays_deleted(spec):
                continue
            if page is None:
                page = self.create_page(spec)
                if page is None:
                    continue
                self.created.add(spec.path)
            self.pages[spec.path] = page
        if self.problems:
            raise ContentError(self.problems)

    def stays_deleted(self, spec):
        forced = self.force_all or spec.path in self.force_paths
        if spec.parent_path in self.deleted and not forced:
            self.deleted[spec.path] = None
            self.report.page("skipped", spec.path, f"{spec.parent_path} above it was deleted in the admin")
            return True
        created = (
            PageLogEntry.objects.filter(action="wagtail.create", data__translation_key=str(spec.translation_key))
            .order_by("-timestamp")
            .first()
        )
        if created is None or forced:
            return False
        # Links to it from other pages keep the id they had, as after any deletion in the admin.
        self.deleted[spec.path] = created.page_id
        self.report.page("skipped", spec.path, f"deleted in the admin; use --force {spec.path} to bring it back")
        return True

    def create_page(self, spec):
        page = spec.model(
            slug=spec.slug,
            locale=self.locale,
            translation_key=spec.translation_key,
            live=False,
            owner=self.user,
            **self.simple_values(spec),
        )
        try:
            if spec.path == "/":
                return self.create_home(page)
            parent = self.pages.get(spec.parent_path)
            if parent is None:
                self.fail(spec, "", f"its parent page {spec.parent_path} could not be loaded")
                return None
            parent.add_child(instance=page)
        except ValidationError as error:
            self.fail_validation(spec, error)
            return None
        # The translation key in the log lets a later load tell "deleted in the admin" from "new".
        log(instance=page, action="wagtail.create", user=self.user, data={"translation_key": str(spec.translation_key)})
        return page

    def create_home(self, page):
        """Put the overview at the site root, replacing Wagtail's default welcome page."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        welcome = None
        if site is not None:
            current = site.root_page
            if _is_wagtail_welcome_page(current):
                # Free its slug; it goes once the site points at the overview (deleting it first
                # would delete the Site with it).
                welcome = current
                Page.objects.filter(pk=welcome.pk).update(slug=f"welcome-{welcome.pk}")
            elif current.depth > 1:
                raise ContentError(
                    [
                        Problem(
                            self.plan.pages[0].file,
                            "",
                            f"the site's home is already '{current.title}' ({type(current.specific).__name__}); "
                            "move or delete it in the admin first",
                        )
                    ]
                )
        Page.get_first_root_node().add_child(instance=page)
        hostname, port = public_address()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=page,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        else:
            site.root_page = page
            changed = ["root_page"]
            if welcome is not None and (site.hostname, site.port) == ("localhost", 80):
                # Wagtail's own site from its first migration, as it made it: ours to name.
                site.hostname, site.port, site.site_name = hostname, port, settings.WAGTAIL_SITE_NAME
                changed += ["hostname", "port", "site_name"]
            site.save(update_fields=changed)
        if welcome is not None:
            Page.objects.get(pk=welcome.pk).delete()
        return page

    def page_ids(self):
        ids = {path: pk for path, pk in self.deleted.items() if pk is not None}
        ids.update({path: page.pk for path, page in self.pages.items()})
        home = self.pages.get("/")
        if home is not None:
            # Pages staff added outside the fixtures can be linked to as well.
            for pk, url_path in Page.objects.descendant_of(home).values_list("pk", "url_path"):
                ids.setdefault("/" + url_path[len(home.url_path) :], pk)
        return ids

    def apply_page(self, spec):
        page = self.pages[spec.path]
        values = self.wanted_values(spec, page)
        if values is None:
            return
        if spec.path in self.created:
            self.write(spec, page, values)
            self.report.page("created", spec.path, spec.model.__name__)
            return
        if _snapshot(page, values.keys()) == _snapshot_of_values(page, values):
            self.report.page("unchanged", spec.path)
            return
        latest = page.get_latest_revision()
        edited_by_staff = latest is None or latest.user_id != self.user.pk
        if edited_by_staff and not (self.force_all or spec.path in self.force_paths):
            self.report.page(
                "skipped", spec.path, f"edited in the admin{_by(latest)}; use --force {spec.path} to replace it"
            )
            return
        self.write(spec, page, values)
        if edited_by_staff:
            self.report.replaced.append(spec.path)
            self.report.page("updated", spec.path, f"replaced the edit{_by(latest)}")
        else:
            self.report.page("updated", spec.path)

    def simple_values(self, spec):
        values = {}
        for model_field in own_fields(spec.model) + optional_fields(spec.model):
            if field_kind(model_field) == "value":
                default = OPTIONAL_PAGE_FIELDS.get(model_field.name, model_field.get_default())
                values[model_field.name] = spec.data.get(model_field.name, default)
        return values

    def wanted_values(self, spec, page):
        """Every field's value as the fixture wants it, in the form the model holds it."""
        values = self.simple_values(spec)
        problems = []
        for model_field in own_fields(spec.model) + optional_fields(spec.model):
            name = model_field.name
            kind = field_kind(model_field)
            raw = spec.data.get(name, OPTIONAL_PAGE_FIELDS.get(name))
            if kind == "stream":
                stored = to_stored(model_field.stream_block, raw, name, self.plan.references, problems)
                value = model_field.stream_block.to_python(stored)
                try:
                    # Wagtail validates blocks in its forms only; the model would store anything.
                    values[name] = model_field.stream_block.clean(value)
                except ValidationError as error:
                    problems += list(_flatten(error, name))
            elif kind == "image":
                values[name] = self.plan.references.image_id_by_file.get(raw) if raw else None
            elif kind == "pages":
                # A natural key is unique within a locale: the pages named are those of this page's.
                key = NATURAL_KEYS[model_field.related_model]
                named = model_field.related_model.objects.filter(locale_id=page.locale_id, **{f"{key}__in": raw or []})
                by_key = {getattr(p, key): p for p in named}
                values[name] = [by_key[item] for item in raw or [] if item in by_key]
        if problems:
            gone = self.links_to_deleted(spec)
            if gone and spec.path not in self.created:
                # The site's version keeps its links as they were; the fixture's cannot be written.
                self.report.page(
                    "skipped", spec.path, f"links to {', '.join(gone)}, deleted in the admin; its links need changing"
                )
                return None
            for where, message in problems:
                suffix = f" (links to {', '.join(gone)}, deleted in the admin: --force brings it back)" if gone else ""
                self.fail(spec, where, message + suffix)
            return None
        return values

    def links_to_deleted(self, spec):
        """The pages deleted in the admin that the fixture of `spec` names anywhere."""
        found = set()

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and value.startswith("/") and normalise_path(value) in self.deleted:
                found.add(normalise_path(value))

        walk(spec.data)
        return sorted(found)

    def write(self, spec, page, values):
        for name, value in values.items():
            model_field = page._meta.get_field(name)
            kind = field_kind(model_field)
            if kind == "image":
                setattr(page, model_field.attname, value)
            else:
                setattr(page, name, value)
        try:
            revision = page.save_revision(user=self.user, log_action=True)
        except ValidationError as error:
            self.fail_validation(spec, error)
            return
        revision.publish(user=self.user, skip_permission_checks=True)
        page.refresh_from_db()
        self.touched.append(page)

    def load_footer(self):
        footer = self.plan.footer
        site = Site.objects.get(is_default_site=True)
        if footer is None or FooterSettings.objects.filter(site=site).exists():
            return  # once it exists, the footer belongs to the admin
        settings = FooterSettings(site=site, **{k: v for k, v in footer.items() if k != "social_links"})
        problems = []
        field_obj = FooterSettings._meta.get_field("social_links")
        stored = to_stored(
            field_obj.stream_block, footer.get("social_links"), "footer.social_links", self.plan.references, problems
        )
        settings.social_links = field_obj.stream_block.to_python(stored)
        try:
            settings.full_clean()
        except ValidationError as error:
            problems += [(f"footer.{name}", " ".join(messages)) for name, messages in error.message_dict.items()]
        if problems:
            raise ContentError([Problem("settings.yaml", where, message) for where, message in problems])
        settings.save()
        self.report.lines.append("created   footer settings")

    def fail(self, spec, where, message):
        self.problems.append(Problem(spec.file, where, message))

    def fail_validation(self, spec, error):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                for item in errors:
                    for where, message in _flatten(item, name):
                        self.fail(spec, where, message)
        else:
            for message in error.messages:
                self.fail(spec, "", message)


def _flatten(error, where):
    """Block validation errors carry nested per-block errors; give each its own field path."""
    block_errors = getattr(error, "block_errors", None)
    if block_errors:
        items = block_errors.items() if isinstance(block_errors, dict) else enumerate(block_errors)
        for key, child in items:
            child_where = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}"
            if isinstance(key, int):
                child_where += ".value"
            for child_error in child if isinstance(child, list) else [child]:
                yield from _flatten(child_error, child_where)
        for message in getattr(error, "non_block_errors", []) or []:
            yield where, " ".join(ValidationError(message).messages)
        return
    yield where, " ".join(error.messages)


def public_address():
    """The host name and port visitors reach the site at: SITE_URL, else WAGTAILADMIN_BASE_URL."""
    url = urlsplit(settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL)
    return url.hostname, url.port or (443 if url.scheme == "https" else 80)


def _is_wagtail_welcome_page(page):
    return page.depth == 2 and page.specific_class is Page and page.numchild == 0


def _by(revision):
    if revision is None or revision.user is None:
        return ""
    return f" by {revision.user.get_username()} on {revision.created_at:%Y-%m-%d %H:%M}"


def _field_snapshot(page, name, value):
    model_field = page._meta.get_field(name)
    kind = field_kind(model_field)
    if kind == "stream":
        return strip_block_ids(model_field.stream_block.get_prep_value(value))
    if kind == "pages":
        return sorted(item.pk for item in value)
    if kind == "image":
        return value.pk if hasattr(value, "pk") else value
    return model_field.to_python(value)


def _snapshot(page, names):
    """The page's current content, in a form that compares equal to a fixture's when they match."""
    current = {}
    for name in names:
        model_field = page._meta.get_field(name)
        kind = field_kind(model_field)
        if kind == "pages":
            value = list(getattr(page, name).all())
        elif kind == "image":
            value = getattr(page, model_field.attname)
        else:
            value = getattr(page, name)
        current[name] = _field_snapshot(page, name, value)
    return current


def _snapshot_of_values(page, values):
    return {name: _field_snapshot(page, name, value) for name, value in values.items()}
