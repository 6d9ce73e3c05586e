import django.db.models.deletion
from django.db import migrations, models

from peerhub.directory.proximity import rebuild_entries


def build(apps, schema_editor):
    names = ("Service", "Attribute", "ServiceAtLocation", "ProximityEntry")
    models_by_name = {name: apps.get_model("directory", name) for name in names}
    rebuild_entries(models_by_name, list(models_by_name["Service"].objects.values_list("id", flat=True)))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_hub_taxonomy")]

    operations = [
        migrations.CreateModel(
            name="ProximityEntry",
            fields=[
                ("service_at_location", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="proximity",
                    serialize=False, to="directory.serviceatlocation")),
                ("cell", models.IntegerField()),
                ("latitude", models.FloatField()),
                ("longitude", models.FloatField()),
                ("active", models.BooleanField()),
                ("assured_date", models.DateField(null=True)),
                ("term_keys", models.TextField(
                    help_text="|key|key|: the service's taxonomy terms, see hub_taxonomy.term_key")),
                ("service", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="proximity_entries",
                    to="directory.service")),
            ],
            options={
                "indexes": [models.Index(
                    fields=["cell", "latitude", "longitude", "active", "assured_date", "term_keys",
                            "service_at_location"], name="directory_proximity_scan")],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
