"""Roles and the moderation workflow, so every environment has them (not load_content's job).

Wagtail's own migrations create "Editors" and "Moderators" and a "Moderators approval"
workflow on the root page; this makes them exactly what our roles need and names the workflow
"Moderation". Running it again changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages.image": ["add_image", "change_image", "choose_image"],
    "wagtaildocs.document": ["add_document", "change_document", "choose_document"],
}


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.get(content_type=content_type, codename=codename)


def set_up_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin")

    for group, page_codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, MODERATOR_PAGE_PERMISSIONS)):
        group.permissions.add(access_admin)
        wanted = [permission(apps, "wagtailcore", "page", codename) for codename in page_codenames]
        # Editors must not publish, lock or delete: drop whatever else a default granted.
        GroupPagePermission.objects.filter(group=group).exclude(permission__in=wanted).delete()
        for perm in wanted:
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
        for model_label, codenames in COLLECTION_PERMISSIONS.items():
            app_label, model = model_label.split(".")
            for codename in codenames:
                perm = permission(apps, app_label, model, codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )

    # Site settings (the footer) are the Moderators' to edit, not the Editors'.
    moderators.permissions.add(permission(apps, "partnership", "footersettings", "change_footersettings"))
    editors.permissions.remove(permission(apps, "partnership", "footersettings", "change_footersettings"))

    set_up_workflow(apps, root_page, moderators)


def set_up_workflow(apps, root_page, moderators):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    workflow = (
        Workflow.objects.filter(name="Moderation").first()
        or Workflow.objects.filter(name="Moderators approval").first()
        or Workflow(name="Moderation")
    )
    workflow.name = "Moderation"
    workflow.active = True
    workflow.save()

    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task_type = ContentType.objects.get_for_model(GroupApprovalTask)
        task = GroupApprovalTask.objects.create(name="Moderators approval", content_type=task_type, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    task.groups.set([moderators])

    # On the root page, the workflow covers every page of every site below it.
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
