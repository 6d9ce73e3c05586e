from django.db import migrations

from peerhub.directory.hub_taxonomy import install_hub_taxonomy


def install(apps, schema_editor):
    install_hub_taxonomy(
        apps.get_model("directory", "Taxonomy"),
        apps.get_model("directory", "TaxonomyTerm"),
        apps.get_model("library", "Term"),
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("library", "0002_default_taxonomy")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
