from django.db import migrations

from peerhub.stories.default_topography import install_default_topography


def install(apps, schema_editor):
    install_default_topography(apps.get_model("stories", "TopographyTerm"))


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
