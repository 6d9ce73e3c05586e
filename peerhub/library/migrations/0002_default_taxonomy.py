from django.db import migrations

from peerhub.library.taxonomy_install import install_default_taxonomy


def install(apps, schema_editor):
    install_default_taxonomy(apps.get_model("library", "Vocabulary"), apps.get_model("library", "Term"))


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
