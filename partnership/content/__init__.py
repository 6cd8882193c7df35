"""Load the site's content from the fixtures in the repository, and export it back.

Everything here works in the fixture form (slugs, file names, acronyms) on one side and Wagtail's
own objects on the other; management commands are thin wrappers around `load` and `export`.
"""
